import CMWire
import JobMetrics

/// Fetches only what can have changed in a listing since the last poll, given the jobs known
/// from it (``KnownListing``), with the API's documented behaviour only (API-FACTS): O(new and
/// running jobs) requests instead of O(history).
///
/// Finished jobs never change, so a poll needs:
/// 1. **The newest jobs**, down to the newest one already known. Where they are depends on the
///    listing's ``ListingOrder``, verified on each complete walk: from the head (`skip=0`) when
///    `sort=-createdAt` is honoured, from the end (`skip = total − k`) when the listing comes
///    oldest first. The first page asks for ``headPageSize`` jobs, so a quiet listing costs one
///    small request; when it does not reach a known job (an outage's backlog, a burst), the
///    rest is a catch-up (``CatchUpGap``) that the poller reads page by page across polls.
/// 2. **The running set**, re-read every poll because its regions progress: the documented
///    `overall_status=in_progress` filter, paged, a pass kept across polls when it outgrows one
///    (``RunningSetRound``). A CM that ignores the filter is noticed (a job of another status in
///    the answer) and remembered in ``StatusFilterSupport``; its running jobs are then read one
///    by one.
/// 3. **Each job that left the running set** since the last poll, in its final state, with the
///    documented `GET …/synchronization-jobs/{id}` (the `id` filter takes one value only):
///    ``RunningJobReads``, within a budget, a job whose read fails retried on the next polls.
///    A poll that opens a newest-first catch-up leaves them to it once instead: they were
///    mostly created just before the last poll, on the catch-up's page past the newest job
///    held, a request for a page of them rather than one each
///    (``RunningJobReads/leaveToCatchUp(besides:seen:)``).
///
/// What outgrows one poll is carried to the next in a ``ListingProgress``. When an answer
/// contradicts what this relies on (the newest known job is not where it should be, a finished
/// job changed), the outcome says a complete walk is needed and why; the poller runs one
/// (resumable, page by page) and keeps polling.
public struct IncrementalLister: Sendable {
    public let client: CMClient

    /// `limit` of the first page of newest jobs.
    public static let headPageSize = 50
    /// Pages of newest jobs after which a poll that opens no catch-up (a walk is pending) gives
    /// up and asks for a complete walk.
    static let headPageCap = 200

    public init(client: CMClient) {
        self.client = client
    }

    /// One incremental poll of `listing`, with nothing carried over between polls (tests and
    /// the benchmark): every newest job is read within this poll.
    public func poll(
        _ listing: Listing, known: some KnownListing, order: ListingOrder, expectedTotal: Int?,
        statusFilter: inout StatusFilterSupport, deadline: ContinuousClock.Instant
    ) throws(CMError) -> IncrementalListing {
        var progress = ListingProgress()
        return try poll(
            listing, known: known, order: order, expectedTotal: expectedTotal, statusFilter: &statusFilter,
            progress: &progress, opensCatchUp: false, now: .now, budget: deadline, deadline: deadline)
    }

    /// One incremental poll of `listing`.
    /// - Parameters:
    ///   - known: the listing as last seen (at least one complete walk applied).
    ///   - order: the order the last complete walk found (`.unordered` is not polled this way).
    ///   - expectedTotal: the listing's `total` at the last poll, where an oldest-first
    ///     listing's newest jobs start.
    ///   - statusFilter: what is known of the `overall_status` filter; updated.
    ///   - progress: what the last polls left to resume; updated when the poll succeeds (the
    ///     caller applies the result, then notes it on ``ListingProgress/catchUp``).
    ///   - opensCatchUp: a head page that reaches no known job opens a ``CatchUpGap`` (read
    ///     later, page by page) instead of paging on within this poll.
    ///   - now: the poller's clock, for the retries of failing job reads.
    ///   - budget: no one-by-one job read starts after it (the rest wait for the next poll).
    /// - Throws: ``CMError`` when a request fails; nothing is applied then.
    public func poll(
        _ listing: Listing, known: some KnownListing, order: ListingOrder, expectedTotal: Int?,
        statusFilter: inout StatusFilterSupport, progress: inout ListingProgress, opensCatchUp: Bool,
        now: ContinuousClock.Instant, budget: ContinuousClock.Instant, deadline: ContinuousClock.Instant
    ) throws(CMError) -> IncrementalListing {
        var working = progress
        var filter = statusFilter
        let result = try readChanges(
            listing, known: known, order: order, expectedTotal: expectedTotal, statusFilter: &filter,
            progress: &working, opensCatchUp: opensCatchUp, now: now, budget: budget, deadline: deadline)
        progress = working
        statusFilter = filter
        return result
    }

    /// The body of ``poll(_:known:order:expectedTotal:statusFilter:progress:opensCatchUp:now:budget:deadline:)``,
    /// run on copies of its state: a poll that throws leaves nothing behind.
    private func readChanges(
        _ listing: Listing, known: some KnownListing, order: ListingOrder, expectedTotal: Int?,
        statusFilter: inout StatusFilterSupport, progress: inout ListingProgress, opensCatchUp: Bool,
        now: ContinuousClock.Instant, budget: ContinuousClock.Instant, deadline: ContinuousClock.Instant
    ) throws(CMError) -> IncrementalListing {
        var sent = 0
        var head = NewestJobs(known: known)
        if let problem = try readNewest(
            listing, &head, order: order, expectedTotal: expectedTotal, opensCatchUp: opensCatchUp,
            catchUp: &progress.catchUp, deadline: deadline, sent: &sent)
        {
            return IncrementalListing(.needsCompleteWalk(problem), requests: sent)
        }
        var running = RunningSetRead(head: head)
        let missing = known.runningJobs.map(\.id).filter { !head.seen.contains($0) }
        progress.jobReads.keep(only: Set(missing))
        var reads = RunningJobReads(missing: missing, now: now, budget: budget)
        let catchUpReadsOn = head.openedCatchUp && progress.catchUp.gaps.last?.newestFirst == true
        if let problem = try readRunning(
            listing, &running, reads: &reads, known: known, statusFilter: &statusFilter, progress: &progress,
            catchUpReadsOn: catchUpReadsOn, deadline: deadline, sent: &sent)
        {
            return IncrementalListing(.needsCompleteWalk(problem), requests: sent, events: reads.events)
        }
        if catchUpReadsOn, let last = progress.catchUp.gaps.indices.last {
            let left = progress.leftToCatchUp
            progress.catchUp.gaps[last].readsOnTo =
                known.runningJobs.filter { left.contains($0.id) }.map(\.createdAt).min()
        }
        let fresh = running.jobs.filter { !known.contains($0.id) }.map(\.createdAt)
        let changes = ListingChanges(jobs: running.jobs, invalid: head.invalid, removed: reads.removed)
        var result = IncrementalListing(
            .changes(changes, total: head.total), requests: sent, events: reads.events)
        result.fresh = fresh
        result.openedCatchUp = head.openedCatchUp
        return result
    }
}

/// What one ``IncrementalLister/poll(_:known:order:expectedTotal:statusFilter:deadline:)`` found.
public struct IncrementalListing: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// New and re-read jobs, for the aggregation (the poller hands them to
        /// `ExporterState.recordChanges`); `total` is the listing's `total` as the pages said.
        case changes(ListingChanges, total: Int?)
        /// The answers contradict what incremental polling relies on: walk the whole listing.
        case needsCompleteWalk(String)
    }

    public var outcome: Outcome
    /// HTTP requests sent to CM for this poll: logins and retries included.
    public var requests: Int
    /// What happened to the reads of single jobs (failures, the listing's decisions).
    public var events: [JobReadEvent]
    /// `createdAt` of the jobs in the changes that were not held before.
    public var fresh: [Double] = []
    /// True when the head page opened a catch-up gap (the newest of ``ListingProgress/catchUp``).
    public var openedCatchUp = false

    public init(_ outcome: Outcome, requests: Int, events: [JobReadEvent] = []) {
        self.outcome = outcome
        self.requests = requests
        self.events = events
    }
}
