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
