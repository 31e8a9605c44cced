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
