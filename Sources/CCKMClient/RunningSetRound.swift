import CMWire
import JobMetrics

/// One pass over a listing's running set (the documented `overall_status=in_progress` filter,
/// paged), kept across polls when it outgrows one: each poll reads pages until its budget and
/// applies them, and the next goes on from there. Once a pass has read every page, the jobs
/// held as running that it did not show are read one by one (``RunningJobReads``).
///
/// Jobs that finish during a pass leave the filtered set and move later pages up: a job can
/// be passed over; it is then among those read one by one, so nothing is lost.
public struct RunningSetRound: Sendable {
    private var pager: ListingPager?
    /// Jobs the pass has shown so far (their state as of the page that showed them is applied).
    public private(set) var seen: Set<String> = []
    /// True once the pass has read every page.
    public private(set) var isComplete = false

    public init() {}

    /// True once the pass has read a page (a pass begun by an earlier poll, when it is kept).
    var isStarted: Bool { pager != nil }

    /// The pager, started on the first page.
    mutating func pager(limit: Int) -> ListingPager { pager ?? ListingPager(limit: limit) }

    /// Keeps where the pass is, and the ids it showed.
    mutating func note(_ pager: ListingPager, shown: [String], complete: Bool) {
        self.pager = pager
        seen.formUnion(shown)
        isComplete = complete
    }
}

extension IncrementalLister {
    /// Pages through `overall_status=in_progress` from where `round` stopped, until the last
    /// page or the `budget` (one page always); returns what the answers showed of the filter.
    func readRunningSet(
        _ listing: Listing, _ running: inout RunningSetRead, known: some KnownListing,
        round: inout RunningSetRound, budget: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
        sent: inout Int
    ) throws(CMError) -> StatusFilterSupport {
        var pager = round.pager(limit: client.pageSize)
        var more = true
        var pages = 0
        while more && (pages == 0 || ContinuousClock.now < budget) {
            let page = try client.listPage(
                listing, skip: pager.skip, limit: pager.limit,
                filters: [("overall_status", KnownJobStatus.inProgress.rawValue)], deadline: deadline,
                sent: &sent)
            pages += 1
            if page.jobs.contains(where: { $0.status != KnownJobStatus.inProgress.rawValue }) {
                round = RunningSetRound()
                return .ignored
            }
            let absorbed = pager.absorb(page)
            // A job neither held nor among the newest read is new since the head page, or in a
            // catch-up's stretch: the head or the catch-up reads it, in its place.
            var shown: [String] = []
            for job in absorbed.fresh.jobs where known.contains(job.id) || running.seen.contains(job.id) {
                running.take(job)
                shown.append(job.id)
            }
            more = absorbed.more
            round.note(pager, shown: shown, complete: !more)
        }
        return .honoured
    }
}
