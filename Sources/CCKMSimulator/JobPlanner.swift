/// The knobs that shape jobs and tokens from now on; changeable while the simulator runs
/// (``CCKMSimulator/updateSettings(_:)``, `POST /sim/settings`). Existing jobs keep their plan.
public struct SimulatorSettings: Sendable, Equatable {
    /// Lifetime of issued JWTs (the login answer's `duration`).
    public var tokenLifetimeSeconds: Int
    /// Mean seconds between new jobs per listing (jittered ±33 %); 0 starts none on its own.
    public var newJobIntervalSeconds: Double
    /// Mean seconds one scope entry (region, key vault, …) takes to synchronize.
    public var regionSeconds: Double
    /// Scope entries a job synchronizes at the same time.
    public var parallelRegions: Int
    /// Share of random jobs that fail, and that get aborted (0…1 each, sum ≤ 1).
    public var failureRate: Double
    public var abortRate: Double
    /// Seconds between a cancel request and the job ending.
    public var abortDelaySeconds: Double
    /// How running jobs write `completed_at` unless a job says otherwise.
    public var runningCompletedAt: CompletedAtStyle

    /// Throws ``SimulatorError`` naming the first field out of range.
    public func validate() throws(SimulatorError) {
        try require(tokenLifetimeSeconds >= 1, "tokenLifetimeSeconds: must be at least 1")
        try require(
            newJobIntervalSeconds >= 0 && newJobIntervalSeconds.isFinite,
            "newJobIntervalSeconds: must be 0 or more")
        try require(regionSeconds > 0 && regionSeconds.isFinite, "regionSeconds: must be positive")
        try require(parallelRegions >= 1, "parallelRegions: must be at least 1")
        try require((0...1).contains(failureRate), "failureRate: must be within 0…1")
        try require((0...1).contains(abortRate), "abortRate: must be within 0…1")
        try require(failureRate + abortRate <= 1, "failureRate + abortRate: must not exceed 1")
        try require(
            abortDelaySeconds >= 0 && abortDelaySeconds.isFinite,
            "abortDelaySeconds: must not be negative")
    }

    private func require(_ condition: Bool, _ message: String) throws(SimulatorError) {
        if !condition { throw SimulatorError(message) }
    }

    /// The longest a random job can take with `entries` scope entries.
    func longestDuration(entries: Int) -> Double {
        let batches = (entries + parallelRegions - 1) / parallelRegions
        return Double(batches) * regionSeconds * 1.5 + abortDelaySeconds
    }
}

/// Plans jobs: random ones (outcome drawn with the configured rates) and forced ones.
enum JobPlanner {
    /// A job whose outcome (unless `forcing` one) and pace are drawn from `random`.
    static func randomJob(
        createdAt: Double, pattern: UInt32, entryCount: Int, settings: SimulatorSettings,
        forcing forced: StoredOutcome? = nil, random: inout SeededRandom
    ) -> SimulatedJob {
        var job = skeleton(
            createdAt: createdAt, pattern: pattern, entryCount: entryCount, settings: settings,
            random: &random)
        job.batchSeconds = settings.regionSeconds * random.between(0.5, 1.5)
        let natural = Double(job.batchCount) * job.batchSeconds
        switch forced ?? drawOutcome(settings, &random) {
        case .failed:
            job.outcome = .failed
            job.failIndex = UInt16(random.next() % UInt64(max(1, entryCount)))
            job.endAt = job.entryEnd(Int(job.failIndex))
        case .aborted:
            job.outcome = .aborted
            job.abortAt = createdAt + natural * random.between(0.1, 0.9)
            job.endAt = job.abortAt + settings.abortDelaySeconds
        default:
            job.outcome = .completed
            job.endAt = createdAt + natural
        }
        return job
    }

    private static func drawOutcome(_ settings: SimulatorSettings, _ random: inout SeededRandom)
        -> StoredOutcome
    {
        let roll = random.unit()
        if roll < settings.failureRate { return .failed }
        if roll < settings.failureRate + settings.abortRate { return .aborted }
        return .completed
    }

    /// A job that ends with `outcome` after `duration` seconds (``JobOutcome/running``: its
    /// last batch starts after `duration` and never ends).
    static func forcedJob(
        createdAt: Double, pattern: UInt32, entryCount: Int, outcome: JobOutcome,
        customStatus: UInt32, duration: Double, style: CompletedAtStyle?,
        settings: SimulatorSettings,
        random: inout SeededRandom
    ) -> SimulatedJob {
        var job = skeleton(
            createdAt: createdAt, pattern: pattern, entryCount: entryCount, settings: settings,
            random: &random)
        if let style { job.completedAtStyle = style }
        let duration = max(0, duration)
        job.batchSeconds = duration / Double(job.batchCount)
        job.endAt = createdAt + duration
        switch outcome {
        case .completed:
            job.outcome = .completed
        case .failed:
            job.outcome = .failed
            job.failIndex = UInt16(max(0, entryCount - 1))
        case .aborted:
            job.outcome = .aborted
            job.abortAt = createdAt + max(0, duration - settings.abortDelaySeconds)
        case .running:
            job.outcome = .running
            job.lastBatchOpen = true
            job.batchSeconds = duration / Double(max(1, job.batchCount - 1))
            job.endAt = .infinity
        case .status:
            job.outcome = .custom
            job.customStatus = customStatus
        }
        return job
    }

    private static func skeleton(
        createdAt: Double, pattern: UInt32, entryCount: Int, settings: SimulatorSettings,
        random: inout SeededRandom
    ) -> SimulatedJob {
        SimulatedJob(
            id: JobID(random: &random), createdAt: createdAt, batchSeconds: settings.regionSeconds,
            endAt: .infinity, pattern: pattern, entryCount: UInt16(clamping: entryCount),
            parallel: UInt8(clamping: max(1, settings.parallelRegions)), outcome: .completed,
            completedAtStyle: settings.runningCompletedAt)
    }
}
