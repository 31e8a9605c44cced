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
    /// `cckm_cm_client_certificate_rotation_refused`: per CM with a client certificate, whether
    /// its files hold a refused pair while the last good one stays presented.
    public var clientCertificateRotationRefused: [String: Bool] = [:]

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
