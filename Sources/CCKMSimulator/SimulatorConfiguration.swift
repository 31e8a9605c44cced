import WebToolkit

/// Everything a ``CCKMSimulator`` starts with. The defaults make a lively demo: each listing
/// starts a job every ~15 s (jittered to 10–20 s), scope entries take ~3 s each (2 at a time),
/// about 15 % of jobs fail and 10 % are aborted, and 40 finished jobs of history per listing.
///
/// The knobs that may change while it runs live in ``settings`` and read as its own fields
/// (`configuration.regionSeconds`).
@dynamicMemberLookup
public struct SimulatorConfiguration: Sendable {
    /// Token lifetime, job pace, outcome rates, `completed_at` style: see ``SimulatorSettings``.
    public var settings: SimulatorSettings
    /// Numeric address to listen on; nil listens on every address.
    public var host: String?
    /// Port; 0 picks a free one (read it from ``CCKMSimulator/port``).
    public var port: UInt16
    /// The one user the login endpoint accepts.
    public var username: String
    public var password: String
    /// Refresh tokens accepted from the start (for clients configured with a refresh token only).
    public var refreshTokens: [String]
    /// Listing names served (see ``SimulatorListings/names``); default all.
    public var listings: [String]
    /// Finished jobs each listing holds at start, created in the past.
    public var historyPerListing: Int
    /// Seed of every random choice: same seed and clock, same jobs.
    public var seed: UInt64
    /// Larger `limit`s are clamped to this (the answer's `limit` says so).
    public var maxPageSize: Int
    /// Server threads (a delay fault holds one for its duration).
    public var serverThreads: Int
    /// How it serves, as the exporter does (`WebToolkit`): TLS from `tls_server_config` (nil:
    /// plain HTTP), with `client_auth_type` and `client_ca_file` asking clients for a
    /// certificate; a handler reads the verdict on `HTTPRequest.clientCertificate` and
    /// `clientCertificateSANs`. Headers and `rate_limit` apply too; basic auth is refused (CM's
    /// clients send bearer tokens).
    public var web: WebConfig
    /// How the undocumented parts of the API behave (order, `id` filter, latency, stuck jobs).
    public var behaviour = APIBehaviour()
    /// Bursts, purges, deletions, outages and 5xx pages from the start (``LifeSettings``).
    public var life = LifeSettings()

    public init(
        host: String? = "127.0.0.1", port: UInt16 = 0, username: String = "admin",
        password: String = "admin", refreshTokens: [String] = [], tokenLifetimeSeconds: Int = 300,
        listings: [String] = SimulatorListings.names, historyPerListing: Int = 40,
        newJobIntervalSeconds: Double = 15, regionSeconds: Double = 3, parallelRegions: Int = 2,
        failureRate: Double = 0.15, abortRate: Double = 0.1, abortDelaySeconds: Double = 1,
        seed: UInt64 = 1, maxPageSize: Int = 1000,
        runningCompletedAt: CompletedAtStyle = .goZeroTime, serverThreads: Int = 4,
        web: WebConfig = WebConfig()
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.refreshTokens = refreshTokens
        settings = SimulatorSettings(
            tokenLifetimeSeconds: tokenLifetimeSeconds, newJobIntervalSeconds: newJobIntervalSeconds,
            regionSeconds: regionSeconds, parallelRegions: parallelRegions, failureRate: failureRate,
            abortRate: abortRate, abortDelaySeconds: abortDelaySeconds, runningCompletedAt: runningCompletedAt
        )
        self.listings = listings
        self.historyPerListing = historyPerListing
        self.seed = seed
        self.maxPageSize = maxPageSize
        self.serverThreads = serverThreads
        self.web = web
    }

    /// A field of ``settings``, read and written as the configuration's own.
    public subscript<Value>(dynamicMember field: WritableKeyPath<SimulatorSettings, Value>) -> Value {
        get { settings[keyPath: field] }
        set { settings[keyPath: field] = newValue }
    }

    /// Throws ``SimulatorError`` naming the first field out of range.
    public func validate() throws(SimulatorError) {
        for name in listings where SimulatorListings.descriptor(named: name) == nil {
            throw SimulatorError(
                "listings: unknown listing \"\(name)\" (known: \(SimulatorListings.names.joined(separator: ", ")))"
            )
        }
        try require(!username.isEmpty, "username: must not be empty")
        try settings.validate()
        try require(historyPerListing >= 0, "historyPerListing: must not be negative")
        try require(
            behaviour.pageLatencySeconds >= 0 && behaviour.pageLatencySeconds.isFinite,
            "pageLatencySeconds: must be 0 or more")
        try require(
            (0...historyPerListing).contains(behaviour.stuckJobs),
            "stuckJobs: must be 0 up to the history size")
        try require((behaviour.idFilterValues ?? 1) >= 1, "idFilterValues: must be 1 or more")
        try require(maxPageSize >= 1, "maxPageSize: must be at least 1")
        try require(serverThreads >= 1, "serverThreads: must be at least 1")
        try require(
            web.basicAuthUsers.isEmpty,
            "web.basic_auth_users: not served by the simulator (CM's clients log in for bearer tokens)")
        try life.validate()
        try behaviour.cluster.validate()
        try behaviour.pages.validate()
        try require(
            behaviour.unknownJobStatus == 404 || (400...599).contains(behaviour.unknownJobStatus),
            "unknownJobStatus: must be 400…599")
    }

    private func require(_ condition: Bool, _ message: String) throws(SimulatorError) {
        if !condition { throw SimulatorError(message) }
    }
}
