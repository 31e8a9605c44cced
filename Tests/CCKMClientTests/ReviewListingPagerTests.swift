import CCKMClient
import CMWire
import Testing

@Suite("Review: hostile listing totals")
struct ReviewListingPagerTests {
    @Test("a total near Int.max does not trap: the walk goes on under the page cap", arguments: [1, 2, 3])
    func hugeTotal(pageSize: Int) {
        var pager = ListingPager(limit: pageSize)
        let jobs = (0..<pageSize).map { SyncJob(id: "job-\($0)", status: "completed", createdAt: 0) }
        let (fresh, more) = pager.absorb(JobPage(total: Int.max, jobs: jobs))
        #expect(fresh.jobs.count == pageSize)
        #expect(more)
    }
}
