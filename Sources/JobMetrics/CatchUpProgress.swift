/// How far the catch-up of a listing has got: the newest jobs CM listed while the exporter
/// could not read them (an outage, a burst), read page by page over several polls and applied
/// as they come. `cckm_listing_catchup_backlog_jobs` and the status page show it.
public struct CatchUpProgress: Sendable, Equatable {
    /// When the oldest open catch-up started, seconds since the epoch.
    public var startedAt: Double
    /// Pages read so far (the head page that found the backlog included).
    public var pages: Int
    /// New jobs read and applied so far.
    public var jobs: Int
    /// Jobs CM lists that the exporter has not read yet: the listing's `total` as the last page
    /// said, less the entries held (an estimate: 0 once the catch-up ends).
    public var backlog: Int
    /// Failed page requests so far (each retried where it failed).
    public var failedPages: Int

    public init(startedAt: Double, pages: Int = 0, jobs: Int = 0, backlog: Int = 0, failedPages: Int = 0) {
        self.startedAt = startedAt
        self.pages = pages
        self.jobs = jobs
        self.backlog = backlog
        self.failedPages = failedPages
    }
}
