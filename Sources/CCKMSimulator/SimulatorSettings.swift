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
