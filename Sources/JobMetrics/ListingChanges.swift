import CMWire

/// What an incremental poll learnt about a listing: the jobs that are new or may have changed
/// since the last poll (new jobs at the head of the listing, jobs that were running), as CM
/// lists them now. Every other job of the listing is as it was (finished jobs never change).
///
/// Applied with ``ListingAggregator/apply(changes:)``; the metrics are those a complete listing
/// would give, as long as CM deleted nothing since the last complete listing (the periodic full
/// resync catches deletions and purges).
public struct ListingChanges: Sendable, Equatable {
    /// New jobs and the current state of re-read ones, each id once.
    public var jobs: [SyncJob]
    /// Invalid entries met on the pages fetched (with an id: entries without one make the
    /// poller fall back to complete listings).
    public var invalid: [InvalidJob]
    /// Ids of jobs found gone from the listing (a job whose `GET …/{id}` kept failing and that
    /// the listing no longer holds): they leave the gauges as a purged job does.
    public var removed: [String]

    public init(jobs: [SyncJob], invalid: [InvalidJob] = [], removed: [String] = []) {
        self.jobs = jobs
        self.invalid = invalid
        self.removed = removed
    }
}
