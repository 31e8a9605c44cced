import CCKMClient
import CMWire
import Testing

@Suite("paging, de-duplication and lying servers (contract section 1)")
struct PagingTests {
    private func ids(_ count: Int, prefix: String = "job") -> [String] {
        (0..<count).reversed().map { "\(prefix)-\($0)" }
    }

    @Test("pages with skip/limit/sort until skip >= total, each page once")
    func pagesUntilTotal() throws {
        let cm = try FakeCM { $0.jobs = FakeCM.jobs(23) }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == ids(23))
        #expect(result.pages == 5)
        #expect(result.requests == 6)
        #expect(result.anomalies.isEmpty)
        let queries = cm.listings.map { $0.query.map { "\($0.name)=\($0.value)" } }
        #expect(queries.map { $0.first } == ["skip=0", "skip=5", "skip=10", "skip=15", "skip=20"])
        #expect(queries.allSatisfy { $0.dropFirst() == ["limit=5", "sort=-createdAt"] })
        #expect(cm.listings.allSatisfy { $0.path == "/api/v1/cckm/aws/synchronization-jobs" })
    }

    @Test("jobs created between pages: every job exactly once, none lost")
    func insertionBetweenPages() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(12)
            $0.insertAfterPage = [0: [FakeCM.job("new-1", n: 101), FakeCM.job("new-0", n: 100)]]
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        let listed = result.jobs.map(\.id)
        #expect(Set(listed).count == listed.count, "no duplicates")
        #expect(Set(ids(12)).isSubset(of: Set(listed)), "no job lost")
        // The second page started with two already-seen jobs, pushed down by the new ones.
        #expect(listed.prefix(5) == ["job-11", "job-10", "job-9", "job-8", "job-7"])
        #expect(cm.listings.count == result.pages)
    }

    @Test("as many jobs created between pages as a page holds: the walk goes on")
    func wholePageOfRepeats() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(12)
            $0.insertAfterPage = [0: (100..<105).reversed().map { FakeCM.job("new-\($0)", n: $0) }]
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(Set(ids(12)).isSubset(of: Set(result.jobs.map(\.id))))
        #expect(result.anomalies.isEmpty)
    }

    @Test("filters are URL-encoded and a key may repeat")
    func filters() throws {
        let cm = try FakeCM { $0.jobs = FakeCM.jobs(1) }
        defer { cm.shutdown() }
        _ = try Fixture.client(cm).listJobs(
            Fixture.aws,
            filters: [("kms", "kms one"), ("kms", "a/b&c=d"), ("overall_status", "in_progress")],
            deadline: Fixture.deadline())
        let query = try #require(cm.listings.first).query
        #expect(query.filter { $0.name == "kms" }.map(\.value) == ["kms one", "a/b&c=d"])
        #expect(query.first { $0.name == "overall_status" }?.value == "in_progress")
    }

    @Test("CM serving smaller pages than asked: skip follows what was delivered")
    func cappedLimit() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(10)
            $0.paging = .capsLimit(3)
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == ids(10))
        #expect(cm.listings.map { $0.query.first?.value } == ["0", "3", "6", "9"])
    }

    @Test("a total larger than what pages deliver: stops at the empty page")
    func lyingTotal() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(7)
            $0.paging = .lyingTotal(1000)
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == ids(7))
        #expect(result.pages == 3)
        #expect(cm.listings.count == 3)
        #expect(result.anomalies.count == 1)
    }

    @Test("a server that repeats the same page for every skip: the walk ends")
    func repeatedPage() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(20)
            $0.paging = .ignoresSkip
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == Array(ids(20).prefix(5)))
        #expect(cm.listings.count == 3)
        #expect(result.anomalies.count == 1)
    }

    @Test("without a total: stops at the first short page")
    func noTotal() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(12)
            $0.paging = .noTotal
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 12)
        #expect(cm.listings.count == 3)
    }

    @Test("an empty listing is one request and no jobs")
    func emptyListing() throws {
        let cm = try FakeCM()
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(
            Listing.named("sfdc-certificates")!, deadline: Fixture.deadline())
        #expect(result.jobs.isEmpty)
        #expect(result.pages == 1)
        #expect(cm.listings.map(\.path) == ["/api/v1/cckm/sfdc/certificates/synchronization-jobs"])
    }

    @Test("invalid jobs are reported once even when a shift repeats them on the next page")
    func invalidJobsDeduplicated() throws {
        var jobs = FakeCM.jobs(8)
        jobs[4] = FakeCM.job("broken", n: 3, createdAt: "yesterday")
        let cm = try FakeCM {
            $0.jobs = jobs
            $0.insertAfterPage = [0: [FakeCM.job("new-0", n: 100)]]
        }
        defer { cm.shutdown() }
        let result = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.invalid == [InvalidJob(id: "broken", reason: .badCreatedAt)])
        #expect(result.jobs.count == 7)
    }

    @Test("one job by id; nil when CM answers 404")
    func singleJob() throws {
        let cm = try FakeCM { $0.jobs = FakeCM.jobs(3) }
        defer { cm.shutdown() }
        let client = Fixture.client(cm)
        let job = try client.job(Fixture.aws, id: "job-1", deadline: Fixture.deadline())
        #expect(job?.id == "job-1")
        #expect(job?.status == "completed")
        #expect(try client.job(Fixture.aws, id: "gone", deadline: Fixture.deadline()) == nil)
        #expect(
            cm.listings.map(\.path) == [
                "/api/v1/cckm/aws/synchronization-jobs/job-1",
                "/api/v1/cckm/aws/synchronization-jobs/gone",
            ])
    }
}
