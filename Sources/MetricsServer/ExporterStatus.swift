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

/// One CM and cloud on the status page.
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

/// One poll of one listing as the status page lists it, like blackbox_exporter's recent probes.
public struct PollRecord: Sendable, Equatable {
    /// How a poll ended.
    public enum Outcome: Sendable, Equatable {
        case running
        case succeeded
        /// The `reason` label and the error message (CM's codeDesc and message; no secrets).
        case failed(reason: String, message: String)
    }

    /// Seconds since the epoch.
    public var start: Double
    /// Nil while the poll runs.
    public var durationSeconds: Double?
    public var outcome: Outcome
    /// Log lines (logfmt) written while the poll ran, at every level including debug.
    public var lines: [String]
    /// Lines left out because the poll logged more than the journal keeps.
    public var droppedLines: Int

    public init(
        start: Double, durationSeconds: Double? = nil, outcome: Outcome = .running,
        lines: [String] = [], droppedLines: Int = 0
    ) {
        self.start = start
        self.durationSeconds = durationSeconds
        self.outcome = outcome
        self.lines = lines
        self.droppedLines = droppedLines
    }

    /// `running`, `ok`, or `failed (reason)`.
    public var outcomeText: String {
        switch outcome {
        case .running: "running"
        case .succeeded: "ok"
        case .failed(let reason, _): "failed (\(reason))"
        }
    }
}
