import CMWire
import JobMetrics

/// A stretch of a newest-first listing holding jobs the exporter has not read yet: from the
/// oldest job read so far (the **frontier**) down to the newest job held when the stretch was
/// found (the **anchor**). A head page that does not reach a known job opens one (an outage,
/// a burst); ``step(_:_:known:deadline:)`` reads it one page at a time over as many polls as it
/// takes, each page's jobs applied as they come.
///
/// Where the next page starts is the ``cursor``: the jobs the exporter has read from the head
/// of the listing down to the frontier. Jobs created at the head push the frontier down:
/// the poller adds the new jobs it reads above the frontier (``ListingCatchUp/noteApplied(_:)``);
/// jobs created but not read yet make the next page start a little early (the frontier is
/// then found further down the page, and what comes before it is skipped as already read).
/// Each page starts one entry before the cursor, so the frontier itself proves the page
/// follows on; a page without any job read before is out of place and is asked again further
/// up (deletions above the frontier) or after the next head read (a burst above it); so is a
/// page holding only jobs read before (a burst of nearly a page above the frontier).
///
/// A listing that comes oldest first has its new jobs at its end: its gap (``newestFirst``
/// false) reads forward from the newest job held to the end of the listing, which new jobs
/// only lengthen; purges of the oldest jobs move it towards the start (the page is then asked
/// again further back). The due polls leave the newest jobs to it while it is open.
public struct CatchUpGap: Sendable {
    /// `createdAt` of the newest job held when the gap opened (the first known job the gap
    /// must meet); nil when nothing was held (the gap runs to the end of the listing).
    public let anchor: Double?
    /// Jobs read from the head of the listing down to the frontier (its position + 1).
    public internal(set) var cursor: Int
    /// `createdAt` of the last job read: the jobs after it must be older (newest first) or
    /// newer (oldest first).
    public private(set) var frontier: Double
    /// The listing's order: newest first (the backlog ends at the anchor), or oldest first (it
    /// ends at the end of the listing).
    public let newestFirst: Bool
    /// The listing's `total` as the last page said.
    public private(set) var total: Int?
    /// Pages read for this gap, the head page that opened it included.
    public private(set) var pages = 1
    /// New jobs (and invalid entries) read so far.
    public private(set) var jobsRead: Int
    /// HTTP requests sent for this gap's pages (the opening head page is the poll's).
    public private(set) var requests = 0
    /// True while the gap waits for the next head read to find where it went (a burst above).
    public internal(set) var waitsForHead = false
    /// `createdAt` of the oldest job held as running that the poll which opened the gap left
    /// to it (``RunningJobReads/leaveToCatchUp(besides:seen:)``): past its anchor, the gap reads
    /// on until its frontier reaches it, one page at most.
    public internal(set) var readsOnTo: Double?
    /// True once a page met the anchor (the pages after it read on to ``readsOnTo``).
    private var passedAnchor = false
    private var seen: Set<String>
    private var misplacedPages = 0
    /// How far before the cursor the next page is asked, after a page past the frontier.
    private var backoff = 0

    /// Pages in a row that cannot be placed before the gap gives up for a complete walk.
    static let misplacedPageLimit = 4

    init(
        anchor: Double?, cursor: Int, seen: Set<String>, frontier: Double, total: Int?,
        newestFirst: Bool = true
    ) {
        self.newestFirst = newestFirst
        self.anchor = newestFirst ? anchor : nil
        self.cursor = cursor
        self.seen = seen
        self.frontier = frontier
        self.total = total
        jobsRead = seen.count
    }

    /// Reads the next page of the gap.
    /// - Throws: ``CMError`` when the page fails; the gap stays where it was.
    public mutating func step(
        _ client: CMClient, _ listing: Listing, known: some KnownListing, deadline: ContinuousClock.Instant
    ) throws(CMError) -> CatchUpStep {
        var sent = 0
        defer { requests += sent }
        let skip = max(0, cursor - 1 - backoff)
        let page = try client.listPage(
            listing, skip: skip, limit: client.pageSize, deadline: deadline, sent: &sent)
        pages += 1
        total = page.total ?? total
        let delivered = page.jobs.count + page.invalid.count
        guard let located = page.jobs.lastIndex(where: { seen.contains($0.id) }) else {
            // Past the anchor, the page read on for jobs held as running only: those it did not
            // show are read one by one at the next poll.
            if passedAnchor { return .read(ListingChanges(jobs: []), fresh: [], closed: true) }
            return misplaced(page, delivered: delivered, pageSize: client.pageSize)
        }
        misplacedPages = 0
        // Where the frontier was found against where it was expected: earlier means jobs above
        // it were deleted (the count is corrected); later, jobs created above it that the next
        // head read will count.
        let shift = skip + located - (cursor - 1)
        if shift < 0 { cursor += shift }
        backoff = 0
        var read = GapPageRead(reachedAnchor: passedAnchor)
        let pagesPastAnchor = passedAnchor ? 1 : 0
        for job in page.jobs[(located + 1)...] where !seen.contains(job.id) {
            // Only jobs not read before are checked: the page may start with jobs of the
            // previous page, pushed down by jobs created meanwhile.
            if newestFirst ? job.createdAt > frontier : job.createdAt < frontier {
                return .needsCompleteWalk("the listing is not \(newestFirst ? "newest" : "oldest") first")
            }
            frontier = job.createdAt
            if newestFirst, let problem = read.check(job, known: known, anchor: anchor) {
                return .needsCompleteWalk(problem)
            }
            seen.insert(job.id)
            read.jobs.append(job)
            if !known.contains(job.id) { read.fresh.append(job.createdAt) }
        }
        for entry in page.invalid {
            guard let id = entry.id, !id.isEmpty, seen.insert(id).inserted else { continue }
            read.invalid.append(entry)
        }
        jobsRead += read.fresh.count + read.invalid.count
        cursor += delivered - located - 1
        // Without a `total`, a page shorter than CM's own page size (its `limit`: CM may cap
        // the one asked) is the last one.
        let atEnd =
            if let total = page.total {
                skip + delivered >= total
            } else {
                delivered < min(client.pageSize, page.limit ?? client.pageSize)
            }
        let changes = ListingChanges(jobs: read.jobs, invalid: read.invalid)
        passedAnchor = read.reachedAnchor
        let readOn = readsOnTo.map { newestFirst && frontier > $0 && pagesPastAnchor == 0 } ?? false
        if (read.reachedAnchor && (!readOn || atEnd)) || (anchor == nil && atEnd) {
            return .read(changes, fresh: read.fresh, closed: true)
        }
        if atEnd { return .needsCompleteWalk("the newest known job is no longer listed") }
        if shift > 0 && delivered - located - 1 == 0 {
            // Jobs created above the frontier pushed this whole page up into what the gap has
            // read: asked again, it would come back the same until the next head read counts
            // them (which moves the cursor down). Wait for that read.
            waitsForHead = true
        }
        return .read(changes, fresh: read.fresh, closed: false)
    }

    /// A page holding no job read before: the frontier moved.
    private mutating func misplaced(_ page: JobPage, delivered: Int, pageSize: Int) -> CatchUpStep {
        misplacedPages += 1
        if misplacedPages > Self.misplacedPageLimit {
            return .needsCompleteWalk("the catch-up lost its place in the listing")
        }
        if delivered == 0 {
            // Past the end: jobs above the frontier were deleted; ask again further up.
            backoff += pageSize
        } else if newestFirst, let first = page.jobs.first, first.createdAt > frontier {
            // Newer jobs than the frontier, none read: more jobs were created above it than a
            // page holds. The next head read (or the gap above) counts them.
            waitsForHead = true
        } else if !newestFirst, let first = page.jobs.first, first.createdAt < frontier {
            // Oldest first, older jobs than the frontier, none read: nothing moves the frontier
            // further along the listing (new jobs come after it); the listing is not as read.
            return .needsCompleteWalk("the catch-up lost its place in the listing")
        } else if misplacedPages > 1 {
            // Past the frontier (newest first: older jobs only; oldest first: newer ones),
            // again: jobs before it were deleted or purged. Ask a page further back.
            backoff += delivered
        }
        // Past the frontier the first time: asked again as it is. A node behind the others
        // (API-FACTS: replication is asynchronous, any node may answer) lists the same `skip`
        // further on by the jobs it does not have yet; the next answer may come from another.
        // Backed off at once, the page would be asked from before the jobs read, and read
        // again whole.
        return .read(ListingChanges(jobs: []), fresh: [], closed: false)
    }
}

/// What one ``CatchUpGap/step(_:_:known:deadline:)`` found.
public enum CatchUpStep: Sendable, Equatable {
    /// Jobs to apply (`fresh`: the `createdAt` of those not held before, which push the other
    /// gaps down); `closed` when the gap reached its anchor or the end of the listing.
    case read(ListingChanges, fresh: [Double], closed: Bool)
    /// The page contradicts what the catch-up relies on: walk the whole listing.
    case needsCompleteWalk(String)
}

/// The jobs of one catch-up page and the checks on them.
private struct GapPageRead {
    var jobs: [SyncJob] = []
    var invalid: [InvalidJob] = []
    var fresh: [Double] = []
    var reachedAnchor: Bool

    /// The first known job met must be the anchor; a finished known job must not change.
    mutating func check(_ job: SyncJob, known: some KnownListing, anchor: Double?) -> String? {
        KnownJobMet.check(job, in: known, expected: anchor, reached: &reachedAnchor)
    }
}
