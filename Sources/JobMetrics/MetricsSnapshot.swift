/// Everything `/metrics` shows apart from `process_*`, as one immutable value: the poller
/// builds a new snapshot after each poll and publishes it; scrapes only read rendered bytes.
///
/// Each ``ListingKey`` should appear at most once in ``listings`` and once in ``health``.
public struct MetricsSnapshot: Sendable {
    public var listings: [ListingMetrics]
    public var health: [PollHealth]
    /// `cckm_api_requests_total`.
    public var apiRequests: [APIRequestKey: UInt64]
    /// `cckm_exporter_build_info`.
    public var build: BuildInfo
    /// The shard families, when sharded; nil writes none of them.
    public var shard: ShardMetrics?
    /// When every counter and histogram series began counting, seconds since the epoch: the
    /// exporter's start (the first listing counts the history it finds as of then), written as
    /// OpenMetrics `_created` samples and protobuf `created_timestamp`s; nil writes none.
    public var seriesCreated: Double?
    /// When a listing's counters and histograms began counting, when not ``seriesCreated``:
    /// a listing dropped and adopted again (a reshard, a reload) counts from 0 from then.
    public var listingCreated: [ListingKey: Double] = [:]
    /// When a CM's `cckm_api_requests_total` began counting, when not ``seriesCreated``.
    public var cmCreated: [String: Double] = [:]
    /// `cckm_cm_client_certificate_expiry_timestamp_seconds`: per CM logged in to with a client
    /// certificate, its `notAfter` (Unix seconds). Empty writes no such family.
    public var clientCertificateExpiry: [String: Double] = [:]

    public init(
        listings: [ListingMetrics] = [], health: [PollHealth] = [],
        apiRequests: [APIRequestKey: UInt64] = [:], build: BuildInfo, shard: ShardMetrics? = nil,
        seriesCreated: Double? = nil
    ) {
        self.shard = shard
        self.listings = listings
        self.health = health
        self.apiRequests = apiRequests
        self.build = build
        self.seriesCreated = seriesCreated
    }
}

/// The poll state of one listing: `cckm_up`, `cckm_last_poll_success_timestamp_seconds`,
/// `cckm_poll_duration_seconds` and `cckm_poll_errors_total`.
///
/// Nothing is written for a listing not attempted yet; once attempted, `cckm_up` and every
/// `reason` of `cckm_poll_errors_total` (0 when none) are always present, the success
/// timestamp from the first success on.
public struct PollHealth: Sendable, Equatable {
    public var key: ListingKey
    /// True once a poll of the listing finished, successfully or not.
    public var attempted: Bool
    /// True when the last poll succeeded.
    public var up: Bool
    /// End of the last successful poll, seconds since the epoch.
    public var lastSuccessTimestamp: Double?
    /// Wall time of the last poll, seconds.
    public var lastPollDurationSeconds: Double?
    /// Failed polls by reason since start.
    public var errorsTotal: [PollErrorReason: UInt64]
    /// The complete walk of the listing under way, if any:
    /// `cckm_listing_walk_started_timestamp_seconds` and the status page's progress.
    public var walk: WalkProgress?
    /// The catch-up of the listing's newest jobs under way, if any:
    /// `cckm_listing_catchup_backlog_jobs` and the status page's progress.
    public var catchUp: CatchUpProgress?
    /// How often each limit on what CM data may cost bit (polls in which it did).
    public var limitsReached: [ListingLimit: UInt64] = [:]
    /// What the exporter found about the listing's order, when it is not the one asked for
    /// (``ListingOrder``'s note): said on the status page.
    public var orderNote: String?
    /// A mismatch between CM's totals and what its listing shows that a complete walk did not
    /// explain, remembered so it starts no more walks: said on the status page.
    public var consistencyNote: String?

    public init(key: ListingKey) {
        self.key = key
        attempted = false
        up = false
        lastSuccessTimestamp = nil
        lastPollDurationSeconds = nil
        errorsTotal = [:]
    }
}

/// How far a complete walk of a listing has got: it may take many poll intervals on a CM
/// that pages a long history slowly, and is never cut short by the poll timeout.
public struct WalkProgress: Sendable, Equatable {
    /// When the walk started, seconds since the epoch.
    public var startedAt: Double
    /// Why it runs: `first listing`, or the consistency check's mismatch, say.
    public var reason: String
    /// Pages taken in so far.
    public var pages: Int
    /// Jobs (valid and invalid) taken in so far.
    public var jobs: Int
    /// The listing's `total` as the last page said; nil before the first page.
    public var total: Int?
    /// Failed page requests so far (each retried where it failed).
    public var failedPages: Int

    public init(
        startedAt: Double, reason: String, pages: Int = 0, jobs: Int = 0, total: Int? = nil,
        failedPages: Int = 0
    ) {
        self.startedAt = startedAt
        self.reason = reason
        self.pages = pages
        self.jobs = jobs
        self.total = total
        self.failedPages = failedPages
    }
}

/// The labels of one `cckm_api_requests_total` series.
public struct APIRequestKey: Hashable, Sendable {
    public var cm: String
    public var endpoint: APIEndpoint
    /// The HTTP status as text (`200`, `401`, …), or `error` when no HTTP answer came.
    public var code: String

    public init(cm: String, endpoint: APIEndpoint, code: String) {
        self.cm = cm
        self.endpoint = endpoint
        self.code = code
    }
}

/// The labels of `cckm_exporter_build_info`.
public struct BuildInfo: Sendable, Equatable {
    public var version: String
    public var revision: String
    public var swiftVersion: String

    public init(version: String, revision: String, swiftVersion: String) {
        self.version = version
        self.revision = revision
        self.swiftVersion = swiftVersion
    }
}
