/// One CM and cloud as the pollers hold it: what the status pages show of a listing. A value
/// `Polling` produces and `StatusPages` renders, kept here so that neither knows the other.
public struct ListingStatus: Sendable {
    public var key: ListingKey
    /// The listing's metrics as of the last good poll (running jobs, failures, counts).
    public var metrics: ListingMetrics
    /// `cckm_up`, last success, last duration, errors by reason.
    public var health: PollHealth
    /// End of the last poll, good or bad; nil before the first one ended.
    public var lastPollEnd: Double?
    /// `reason: message` of the last poll when it failed.
    public var lastError: String?
    /// The most recent polls, newest first, each with the lines logged while it ran.
    public var recentPolls: [PollRecord]

    public init(
        key: ListingKey, metrics: ListingMetrics, health: PollHealth, lastPollEnd: Double?,
        lastError: String?, recentPolls: [PollRecord]
    ) {
        self.key = key
        self.metrics = metrics
        self.health = health
        self.lastPollEnd = lastPollEnd
        self.lastError = lastError
        self.recentPolls = recentPolls
    }

    /// `pending` before the first poll ended, then `up` or `down`.
    public var stateName: String { lastPollEnd == nil ? "pending" : (health.up ? "up" : "down") }
}
