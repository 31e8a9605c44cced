import CMWire
import JobMetrics

/// The paging rules of one listing walk: where the next page starts, when to stop, and
/// de-duplication by ``JobKey`` (the key of a job's `id`, computed once per job here and
/// handed on with the job).
///
/// `skip` advances by what a page delivered (CM may cap `limit` below what was asked). Jobs
/// created while paging push older ones onto the next page, hence the de-duplication. A
/// lying server cannot make the walk loop: it stops at an empty page, after two pages in a
/// row that bring no new id, and at a page cap derived from `total` and the first page's size.
///
/// **Overlapping** pages (a complete walk) are asked from one entry before where the last one
/// ended, and a page must hold an entry an earlier page held: one that holds none sits past
/// jobs no page showed (a node of a cluster that lags, lacking the newest jobs; jobs deleted
/// above it) and is asked again, from where it was, then from as far back as still reaches
/// past what was read (``misplacedPageLimit`` pages in a row at most, then taken as it is,
/// with an anomaly). An
/// empty page whose `total` is below the largest one seen is asked again once.
public struct ListingPager: Sendable {
    /// The `limit` sent with every page.
    public let limit: Int
    /// True when pages overlap and must follow on (see the type's documentation).
    public let overlapping: Bool
    /// Where the next page starts.
    public private(set) var skip = 0
    /// Pages taken in, the final empty one and those asked again included.
    public private(set) var pages = 0
    /// What looked wrong with the server's paging (for the log); empty normally.
    public private(set) var anomalies: [String] = []

    private var seenKeys: Set<JobKey> = []
    private var pagesWithoutNewIDs = 0
    /// Pages in a row that did not follow on, and pages asked again in all.
    private var misplacedInARow = 0
    private var misplacedPages = 0
    /// How far before ``skip`` − 1 the next overlapping page is asked: up to a page less two
    /// entries, so that a whole page still reaches past what was read.
    private var backoff = 0
    private var firstPageSize: Int?
    private var pageCap = Self.pageCapWithoutTotal
    /// The largest `total` a page gave (0 before one did).
    public private(set) var largestTotal = 0

    /// The cap when CM sends no `total` (the poll deadline bounds the walk too).
    static let pageCapWithoutTotal = 10_000
    /// Pages in a row without a new id that end the walk. One is possible in honest
    /// listings: as many jobs created between two pages as a page holds.
    static let pagesWithoutNewIDsLimit = 2
    /// Overlapping pages in a row that do not follow on before one is taken as it is.
    static let misplacedPageLimit = 4

    public init(limit: Int, overlapping: Bool = false) {
        self.limit = max(1, limit)
        self.overlapping = overlapping
    }

    /// Where the next page is asked from: ``skip``; for overlapping pages after the first, one
    /// entry before it (further back after pages that did not follow on).
    public var nextSkip: Int { overlapping && skip > 0 ? max(0, skip - 1 - backoff) : skip }

    /// Takes in one page, asked from ``nextSkip``: returns its entries not seen on an earlier
    /// page, and whether another page should be fetched.
    public mutating func absorb(_ page: JobPage) -> (fresh: FreshEntries, more: Bool) {
        let from = nextSkip
        if overlapping, skip > 0, misplaced(page) {
            misplacedInARow += 1
            misplacedPages += 1
            pages += 1
            // Asked again from where it was first (another node may answer), then from as far
            // back as still reaches past what was read (jobs deleted above it).
            if misplacedInARow > 1 { backoff = max(0, page.jobs.count + page.invalid.count - 2) }
            var nothing = FreshEntries()
            nothing.listingTotal = page.total
            return (nothing, true)
        }
        misplacedInARow = 0
        backoff = 0
        let fresh = keepNew(page)
        return (fresh, advance(page, from: from, newEntries: fresh.jobs.count + fresh.invalid.count))
    }

    /// True when an overlapping page does not follow on and is to be asked again: it holds
    /// jobs, none an earlier page held; or none at all, its `total` below the largest seen.
    private mutating func misplaced(_ page: JobPage) -> Bool {
        if page.jobs.isEmpty && page.invalid.isEmpty {
            return misplacedInARow == 0 && (page.total ?? largestTotal) < largestTotal
        }
        let heldBefore =
            page.jobs.contains { seenKeys.contains(JobKey($0.id)) }
            || page.invalid.contains { $0.id.map { seenKeys.contains(JobKey($0)) } ?? false }
        guard !page.jobs.isEmpty, !heldBefore else { return false }
        guard misplacedInARow < Self.misplacedPageLimit else {
            anomalies.append(
                "\(misplacedInARow + 1) pages in a row held no job of the pages before, at skip=\(skip)")
            return false
        }
        return true
    }

    private mutating func advance(_ page: JobPage, from: Int, newEntries: Int) -> Bool {
        pages += 1
        let delivered = page.jobs.count + page.invalid.count
        // An overlapping page that reaches no further than the entries asked again is the end,
        // as an empty page is.
        guard delivered > skip - from else {
            if let total = page.total, skip < total {
                anomalies.append("no entry past skip=\(skip) although total=\(total)")
            }
            return false
        }
        skip = from + delivered
        if firstPageSize == nil { firstPageSize = delivered }
        if let total = page.total {
            // Overlapping: a lagging node's smaller `total` does not end the walk early.
            if skip >= (overlapping ? max(total, largestTotal) : total) { return false }
            raisePageCap(total: total)
        } else if delivered < min(limit, page.limit ?? limit) {
            return false  // a short page without a total is the last one
        }
        pagesWithoutNewIDs = newEntries == 0 ? pagesWithoutNewIDs + 1 : 0
        if pagesWithoutNewIDs >= Self.pagesWithoutNewIDsLimit {
            anomalies.append(
                "\(pagesWithoutNewIDs) pages in a row without a new id, up to skip=\(skip)")
            return false
        }
        if pages - misplacedPages >= pageCap {
            anomalies.append(
                "page cap \(pageCap) reached at skip=\(skip), total=\(page.total ?? -1)")
            return false
        }
        return true
    }

    /// The jobs and invalid entries not seen on an earlier page. When every job is new (the
    /// usual case) the page's array is handed on as is, not copied.
    private mutating func keepNew(_ page: JobPage) -> FreshEntries {
        var fresh = FreshEntries()
        fresh.listingTotal = page.total
        if seenKeys.isEmpty, let total = page.total {
            seenKeys.reserveCapacity(min(max(0, total), JobPage.reservationCap))
        }
        fresh.keys.reserveCapacity(page.jobs.count)
        var allNew = true
        for job in page.jobs {
            let key = JobKey(job.id)
            if seenKeys.insert(key).inserted {
                fresh.keys.append(key)
                if !allNew { fresh.jobs.append(job) }
            } else if allNew {
                allNew = false
                fresh.jobs = Array(page.jobs[..<fresh.keys.count])
            }
        }
        if allNew { fresh.jobs = page.jobs }
        for entry in page.invalid {
            // An invalid entry without an id cannot be matched across pages: keep it.
            if let id = entry.id, !seenKeys.insert(JobKey(id)).inserted { continue }
            fresh.invalid.append(entry)
        }
        return fresh
    }

    /// Pages the total needs at the first page's size, plus slack for jobs created meanwhile.
    private mutating func raisePageCap(total: Int) {
        largestTotal = max(largestTotal, total)
        let size = max(1, firstPageSize ?? limit)
        // Rounded up without `total + size - 1`, and capped first: a `total` near `Int.max`
        // must not overflow.
        let needed = min(
            largestTotal / size + (largestTotal % size == 0 ? 0 : 1), Self.pageCapWithoutTotal)
        pageCap = min(Self.pageCapWithoutTotal, needed + 2 + needed / 10)
    }
}

/// The entries of one listing page not seen on an earlier page of the same walk, in listing
/// order; `keys[i]` is the ``JobKey`` of `jobs[i]`.
public struct FreshEntries: Sendable {
    public var jobs: [SyncJob] = []
    public var keys: [JobKey] = []
    public var invalid: [InvalidJob] = []
    /// The page's `total` (jobs in the whole listing, as CM says), when it sent one.
    public var listingTotal: Int?

    public init() {}
}
