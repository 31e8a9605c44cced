import CCKMExporter

/// The paging rules of one listing walk: where the next page starts, when to stop, and
/// de-duplication by `id`.
///
/// `skip` advances by what a page delivered (CM may cap `limit` below what was asked). Jobs
/// created while paging push older ones onto the next page, hence the de-duplication. A
/// lying server cannot make the walk loop: it stops at an empty page, after two pages in a
/// row that bring no new id, and at a page cap derived from `total` and the first page's size.
struct ListingPager {
    /// The `limit` sent with every page.
    let limit: Int
    /// Where the next page starts.
    private(set) var skip = 0
    private(set) var pages = 0
    private(set) var jobs: [SyncJob] = []
    private(set) var invalid: [InvalidJob] = []
    /// What looked wrong with the server's paging (for the log); empty normally.
    private(set) var anomalies: [String] = []

    private var seenIDs: Set<String> = []
    private var pagesWithoutNewIDs = 0
    private var firstPageSize: Int?
    private var pageCap = Self.pageCapWithoutTotal
    private var largestTotal = 0

    /// The cap when CM sends no `total` (the poll deadline bounds the walk too).
    static let pageCapWithoutTotal = 10_000
    /// Pages in a row without a new id that end the walk. One is possible in honest
    /// listings: as many jobs created between two pages as a page holds.
    static let pagesWithoutNewIDsLimit = 2

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes in one page; returns whether another page should be fetched (from ``skip``).
    mutating func absorb(_ page: JobPage) -> Bool {
        pages += 1
        let delivered = page.jobs.count + page.invalid.count
        guard delivered > 0 else {
            if let total = page.total, skip < total {
                anomalies.append("empty page at skip=\(skip) although total=\(total)")
            }
            return false
        }
        let newEntries = keepNew(page)
        skip += delivered
        if firstPageSize == nil { firstPageSize = delivered }
        if let total = page.total {
            if skip >= total { return false }
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
        if pages >= pageCap {
            anomalies.append(
                "page cap \(pageCap) reached at skip=\(skip), total=\(page.total ?? -1)")
            return false
        }
        return true
    }

    /// Appends the jobs and invalid entries not seen on an earlier page; returns their count.
    private mutating func keepNew(_ page: JobPage) -> Int {
        var count = 0
        for job in page.jobs where seenIDs.insert(job.id).inserted {
            jobs.append(job)
            count += 1
        }
        for entry in page.invalid {
            // An invalid entry without an id cannot be matched across pages: keep it.
            if let id = entry.id, !seenIDs.insert(id).inserted { continue }
            invalid.append(entry)
            count += 1
        }
        return count
    }

    /// Pages the total needs at the first page's size, plus slack for jobs created meanwhile.
    private mutating func raisePageCap(total: Int) {
        largestTotal = max(largestTotal, total)
        let size = max(1, firstPageSize ?? limit)
        let needed = (largestTotal + size - 1) / size
        pageCap = min(Self.pageCapWithoutTotal, needed + 2 + needed / 10)
    }
}
