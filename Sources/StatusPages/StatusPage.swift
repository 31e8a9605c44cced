import JobMetrics

/// What the status page shows: the version and, per CM and cloud, the last poll, the jobs
/// running, the jobs that failed, and the recent polls with their log lines.
public struct StatusPage: Sendable {
    public var version: String
    /// When the exporter started, seconds since the epoch.
    public var startTime: Double
    /// Sorted by CM, then cloud.
    public var listings: [ListingStatus]
    /// This replica's shard, when sharded: the pages say which CMs it polls, or that it owns none.
    public var shard: ShardMetrics?

    public init(version: String, startTime: Double, listings: [ListingStatus], shard: ShardMetrics? = nil) {
        self.shard = shard
        self.version = version
        self.startTime = startTime
        self.listings = listings
    }
}
