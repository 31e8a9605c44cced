import CCKMClient
import CCKMSimulator
import CMWire
import Testing

@Suite("paging, de-duplication and lying servers (contract section 1)")
struct PagingTests {
    /// Pages a listing of the fixture's 12 jobs needs at 5 a page.
    private static let pagesOf12 = 3

    private func ids(_ simulator: CCKMSimulator, _ listing: Listing = Fixture.aws) throws -> [String] {
        try Fixture.client(simulator).collectJobs(listing, deadline: Fixture.deadline()).jobs.map(\.id)
    }

    @Test(
        "pages with skip, limit and sort=-createdAt until skip >= total, each page once, overlapping by one")
    func pagesUntilTotal() throws {
        // Without `sort` this CM lists oldest first: the order shows the client asked for it.
        let simulator = try Fixture.simulator(history: 23) { $0.behaviour.defaultOrder = .oldestFirst }
        defer { simulator.shutdown() }
        let result = try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 23)
        #expect(Set(result.jobs.map(\.id)).count == 23)
        #expect(zip(result.jobs, result.jobs.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
        // Each page after the first asked from the last entry of the one before: 0, 4, 8, … 20.
        #expect(result.pages == 6, "limit=5 was honoured")
        #expect(result.requests == 7)
        #expect(result.anomalies.isEmpty)
        #expect(simulator.stats().listingRequests("aws") == 6)
        #expect(simulator.stats().apiRequests == 7)
    }

    @Test("every listing of the contract pages completely: each page fetched once, one login")
    func everyListing() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let client = Fixture.client(simulator)
        for listing in Listing.all {
            let result = try client.collectJobs(listing, deadline: Fixture.deadline())
            #expect(result.jobs.count == 12, "\(listing)")
            #expect(Set(result.jobs.map(\.id)).count == 12, "\(listing)")
            #expect(result.pages == Self.pagesOf12)
            #expect(simulator.stats().listingRequests(listing.name) == Self.pagesOf12, "\(listing)")
        }
        let stats = simulator.stats()
        #expect(stats.logins == ["password": 1])
        #expect(stats.apiRequests == 1 + Listing.all.count * Self.pagesOf12)
        #expect(stats.unauthorizedRequests == 0)
    }

    @Test(
        "jobs created between pages, up to a whole page of them: every job exactly once, in order",
        arguments: [2, 3, 5])
    func insertionBetweenPages(inserted: Int) throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let before = try ids(simulator)
        // The new jobs push the older ones down: page 2 starts with jobs page 1 already gave.
        try simulator.injectFault(Fault(scope: .listings, insertOnPage: 2, insertCount: inserted))
        let result = try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == before)
        #expect(result.anomalies.isEmpty)
        #expect(simulator.stats().listingRequests("aws") == Self.pagesOf12 + result.pages)
    }

    @Test("filters are URL-encoded and a key may repeat")
    func filters() throws {
        let simulator = try Fixture.simulator(history: 0)
        defer { simulator.shutdown() }
        let inKMS = try simulator.insertJob(
            listing: "aws", outcome: .completed, regions: ["123456789012/us-east-1"], durationSeconds: 600)
        let inKMSDev = try simulator.insertJob(
            listing: "aws", outcome: .completed, regions: ["210987654321/eu-west-1"], durationSeconds: 600)
        let client = Fixture.client(simulator)
        func listed(_ filters: [(String, String)]) throws -> Set<String> {
            let result = try client.collectJobs(Fixture.aws, filters: filters, deadline: Fixture.deadline())
            return Set(result.jobs.map(\.id))
        }
        #expect(try listed([("kms", "kms"), ("kms", "kms-dev")]) == [inKMS, inKMSDev])
        #expect(try listed([("kms", "kms-dev")]) == [inKMSDev])
        #expect(try listed([("kms", "kms-dev&kms=kms")]).isEmpty, "one value, not two")
        #expect(try listed([("kms", "kms"), ("overall_status", "in_progress")]) == [inKMS])
        #expect(try listed([("overall_status", "completed")]).isEmpty)
    }

    @Test("CM serving smaller pages than asked: skip follows what was delivered")
    func cappedLimit() throws {
        let simulator = try Fixture.simulator(history: 10) { $0.maxPageSize = 3 }
        defer { simulator.shutdown() }
        let result = try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 10)
        #expect(Set(result.jobs.map(\.id)).count == 10)
        // Pages of 3 overlapping by one: from 0, 2, 4, 6 and 8.
        #expect(result.pages == 5)
        #expect(simulator.stats().listingRequests("aws") == 5)
    }

    /// A lying server, the jobs the walk keeps, the page requests it costs, whether it is noted.
    private static let lies: [(Fault, history: Int, jobs: Int, requests: Int, noted: Bool)] = [
        // total says 1007: the third page is empty, the walk stops there.
        (Fault(scope: .listings, count: 0, totalLies: 1000), 7, 7, 3, true),
        (Fault(scope: .listings, count: 0, totalLies: 1000), 12, 12, 4, true),
        // Each page after the first is the one before it again.
        (Fault(scope: .listings, count: 0, repeatPage: true), 12, 9, 3, false),
        // The first page for every skip: two pages in a row bring nothing new.
        (Fault(scope: .listings, count: 0, ignoresSkip: true), 20, 5, 3, true),
        (Fault(scope: .listings, count: 0, emptyPageEarly: true), 12, 0, 1, true),
        // Without a total the first short page is the last.
        (Fault(scope: .listings, count: 0, omitTotal: true), 12, 12, 3, false),
    ]

    @Test(
        "lying totals, repeated pages, a skip ignored, an early empty page, no total: the walk ends",
        arguments: lies.indices)
    func lyingServer(index: Int) throws {
        let (fault, history, jobs, requests, noted) = Self.lies[index]
        let simulator = try Fixture.simulator(history: history)
        defer { simulator.shutdown() }
        try simulator.injectFault(fault)
        let result = try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == jobs)
        #expect(Set(result.jobs.map(\.id)).count == jobs)
        #expect(simulator.stats().listingRequests("aws") == requests)
        #expect(result.pages == requests)
        #expect(result.anomalies.count == (noted ? 1 : 0), "\(result.anomalies)")
    }

    @Test("a page served twice once: the walk goes on, no extra request, nothing counted twice")
    func repeatedOnce() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, repeatPage: true))
        let result = try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        // Page 2 came back as page 1 again: of its real jobs, the three before page 3 (asked
        // from one entry before where page 2 ended) were never served.
        #expect(result.jobs.count == 12 - 3)
        #expect(Set(result.jobs.map(\.id)).count == result.jobs.count)
        #expect(simulator.stats().listingRequests("aws") == Self.pagesOf12)
    }

    @Test("an empty listing is one request and no jobs")
    func emptyListing() throws {
        let simulator = try Fixture.simulator(history: 0)
        defer { simulator.shutdown() }
        let result = try Fixture.client(simulator).collectJobs(
            Listing.named("sfdc-certificates")!, deadline: Fixture.deadline())
        #expect(result.jobs.isEmpty)
        #expect(result.pages == 1)
        #expect(simulator.stats().listingRequests("sfdc-certificates") == 1)
        #expect(simulator.stats().apiRequests == 2)
    }

    /// A listing page as CM sends it, with completed jobs of the given ids and `createdAt`s.
    private static func page(total: Int, _ jobs: [(id: String, createdAt: String)]) -> String {
        let resources = jobs.map { job in
            #"{"id":"\#(job.id)","createdAt":"\#(job.createdAt)","completed_at":"2024-05-02T00:00:00Z","#
                + #""overall_status":"completed"}"#
        }
        return #"{"skip":0,"limit":5,"total":\#(total),"resources":[\#(resources.joined(separator: ","))]}"#
    }

    @Test("invalid jobs are reported once even when a shift repeats them on the next page")
    func invalidJobsDeduplicated() throws {
        let simulator = try Fixture.simulator(history: 0)
        defer { simulator.shutdown() }
        let valid = (0..<8).reversed().map { (id: "job-\($0)", createdAt: "2024-05-01T00:00:0\($0)Z") }
        let broken = (id: "broken", createdAt: "yesterday")
        // One job created after page 1 pushes `broken` from its end down one place: page 2,
        // asked from page 1's last entry (skip=4, the simulator's page 1 again), repeats it.
        try simulator.injectFault(
            Fault(scope: .listings, page: 1, body: Self.page(total: 9, Array(valid.prefix(4)) + [broken])))
        try simulator.injectFault(
            Fault(
                scope: .listings, page: 1,
                body: Self.page(total: 9, [valid[3], broken] + valid.suffix(3))))
        let result = try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.invalid == [InvalidJob(id: "broken", reason: .badCreatedAt)])
        #expect(result.jobs.map(\.id) == ["job-7", "job-6", "job-5", "job-4", "job-2", "job-1", "job-0"])
        #expect(result.pages == 2)
    }

    @Test("one job by id; nil when CM answers 404")
    func singleJob() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let id = try simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 600)
        let client = Fixture.client(simulator)
        var sent = 0
        let job = try client.job(Fixture.aws, id: id, deadline: Fixture.deadline(), sent: &sent)
        #expect(job?.id == id)
        #expect(job?.status == "in_progress")
        #expect(
            try client.job(
                Fixture.aws, id: "00000000-0000-0000-0000-000000000000", deadline: Fixture.deadline(),
                sent: &sent)
                == nil)
        #expect(try client.job(Fixture.aws, id: "gone", deadline: Fixture.deadline(), sent: &sent) == nil)
        #expect(sent == 4, "one login and three GETs")
        #expect(simulator.stats().requests("get:aws") == 3)
    }

    @Test("a total near Int.max does not trap: the walk goes on under the page cap", arguments: [1, 2, 3])
    func hugeTotal(pageSize: Int) {
        var pager = ListingPager(limit: pageSize)
        let jobs = (0..<pageSize).map { SyncJob(id: "job-\($0)", status: "completed", createdAt: 0) }
        let (fresh, more) = pager.absorb(JobPage(total: Int.max, jobs: jobs))
        #expect(fresh.jobs.count == pageSize)
        #expect(more)
    }
}
