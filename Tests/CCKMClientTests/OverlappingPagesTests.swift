import CCKMClient
import CMWire
import Testing

/// A complete walk's pages overlap by one entry (``ListingPager`` overlapping): a page that
/// holds no entry of the pages before is asked again, then from further back.
@Suite("overlapping pages of a complete walk")
struct OverlappingPagesTests {
    /// Walks `listing` (ids, newest first) with pages of 5, running `between` after the first
    /// page; returns the ids taken in and the anomalies.
    private func walk(
        _ listing: [String], between: (inout [String]) -> Void
    ) -> (ids: [String], anomalies: [String], pages: Int) {
        var listing = listing
        var pager = ListingPager(limit: 5, overlapping: true)
        var ids: [String] = []
        var more = true
        while more {
            let from = pager.nextSkip
            let jobs = listing[min(from, listing.count)..<min(from + 5, listing.count)].map {
                SyncJob(id: $0, status: "completed", createdAt: 0)
            }
            let absorbed = pager.absorb(JobPage(total: listing.count, jobs: Array(jobs)))
            ids += absorbed.fresh.jobs.map(\.id)
            more = absorbed.more && pager.pages < 50
            if pager.pages == 1 { between(&listing) }
        }
        return (ids, pager.anomalies, pager.pages)
    }

    @Test(
        "jobs deleted above the next page: it is asked again, then from further back, and nothing is skipped")
    func deletionsAbove() {
        let listing = (0..<20).map { "job-\($0)" }
        let result = walk(listing) { $0.removeSubrange(1...3) }
        // Jobs 1 to 3 came with the first page; none of the others is skipped.
        #expect(result.ids == listing)
        #expect(result.anomalies.isEmpty, "\(result.anomalies)")
    }

    @Test("an honest listing: each page once, from the last entry of the one before")
    func honest() {
        let listing = (0..<13).map { "job-\($0)" }
        let result = walk(listing) { _ in }
        #expect(result.ids == listing)
        #expect(result.anomalies.isEmpty)
        #expect(result.pages == 3, "from 0, 4 and 8")
    }
}
