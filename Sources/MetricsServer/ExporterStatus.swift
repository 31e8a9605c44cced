/// What the HTTP side needs to know about the running exporter, besides metrics.
/// Implemented by the application; called on libmicrohttpd's threads, so it must be cheap
/// and thread-safe.
public protocol ExporterStatus: Sendable {
    /// True once every listing has finished its first poll attempt.
    var isReady: Bool { get }
    /// The data for the landing page.
    func landingPage() -> LandingPage
    /// Re-reads the configuration; the failure text names the field (no secrets).
    func reload() -> Result<Void, ReloadFailure>
}

/// Why a reload was refused; the old configuration stays in force.
public struct ReloadFailure: Error, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
}

/// What the landing page shows: the version and each listing's last poll.
public struct LandingPage: Sendable {
    public var version: String
    public var listings: [ListingLine]

    /// One CM and cloud.
    public struct ListingLine: Sendable {
        public var cm: String
        public var cloud: String
        /// nil before the first poll ended.
        public var lastPollEnd: Double?
        public var up: Bool
        public var lastPollDurationSeconds: Double?
        /// The last error's text, when the last poll failed.
        public var error: String?
        public var runningJobs: Int
        public var regionsInProgress: Int

        public init(cm: String, cloud: String, lastPollEnd: Double?, up: Bool,
                    lastPollDurationSeconds: Double?, error: String?, runningJobs: Int,
                    regionsInProgress: Int) {
            self.cm = cm
            self.cloud = cloud
            self.lastPollEnd = lastPollEnd
            self.up = up
            self.lastPollDurationSeconds = lastPollDurationSeconds
            self.error = error
            self.runningJobs = runningJobs
            self.regionsInProgress = regionsInProgress
        }
    }

    public init(version: String, listings: [ListingLine]) {
        self.version = version
        self.listings = listings
    }
}
