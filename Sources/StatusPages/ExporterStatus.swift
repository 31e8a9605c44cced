import JobMetrics

/// What the HTTP side needs to know about the running exporter, besides metrics.
/// Implemented by the application; called on libmicrohttpd's threads, so it must be cheap
/// and thread-safe.
public protocol ExporterStatus: Sendable {
    /// True once every listing has finished its first poll attempt.
    var isReady: Bool { get }
    /// The data for the status page at `/` and the plain-text `/debug` page, built on demand.
    func statusPage() -> StatusPage
    /// Re-reads the configuration; the failure text names the field (no secrets).
    func reload() -> Result<Void, ReloadFailure>
}

/// Why a reload was refused; the old configuration stays in force.
public struct ReloadFailure: Error, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
}

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
