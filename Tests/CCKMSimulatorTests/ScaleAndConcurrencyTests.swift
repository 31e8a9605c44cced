import CCKMClient
import CCKMSimulator
import Foundation
import Testing

@Suite("Large histories and concurrent clients")
struct ScaleAndConcurrencyTests {
    @Test("a 100,000-job history is generated quickly and pages like a small one")
    func hundredThousandJobs() throws {
        let start = ContinuousClock.now
        let harness = try SimulatorHarness {
            $0.historyPerListing = 100_000
            $0.listings = ["aws"]
        }
        defer { harness.stop() }
        let generated = ContinuousClock.now - start
        print("100,000-job history generated in \(generated)")
        #expect(generated < .seconds(30))  // a loose sanity bound: debug builds on a shared CI box

        let token = try harness.login()
        let pageStart = ContinuousClock.now
        let first = try harness.page("aws", "limit=1000", token: token)
        let last = try harness.page("aws", "skip=99500&limit=1000", token: token)
        print("two 1000-job pages rendered and fetched in \(ContinuousClock.now - pageStart)")
        #expect(first.object["total"] as? Int == 100_000)
        #expect(first.resources.count == 1000)
        #expect(last.resources.count == 500)
        let filtered = try harness.page("aws", "overall_status=failed&limit=1", token: token)
        let failedTotal = try #require(filtered.object["total"] as? Int)
        #expect((10_000...20_000).contains(failedTotal), "about 15 % failed: \(failedTotal)")
    }

    @Test("more than 65,536 distinct custom statuses are kept apart, not a trap")
    func moreStatusesThanUInt16() throws {
        let harness = try SimulatorHarness {
            $0.historyPerListing = 0
            $0.listings = ["aws"]
        }
        defer { harness.stop() }
        let distinct = 65_540
        var ids: [String] = []
        for index in 0..<distinct {
            // A status seen before is interned once, not again.
            let status = index == distinct - 1 ? "s0" : "s\(index)"
            ids.append(
                try harness.simulator.insertJob(listing: "aws", outcome: .status(status), durationSeconds: 0))
        }
        harness.clock.advance(by: 1)
        let token = try harness.login()
        let newest = try harness.page("aws", "limit=3", token: token).resources
        #expect(newest.map(\.status) == ["s0", "s65538", "s65537"])
        #expect(newest.map(\.id) == ids.suffix(3).reversed())
        let filtered = try harness.page("aws", "overall_status=s65536&limit=5", token: token)
        #expect(filtered.resources.map(\.id) == [ids[65_536]])
    }

    @Test("concurrent clients are all served and all counted")
    func concurrentClients() async throws {
        let harness = try SimulatorHarness {
            $0.historyPerListing = 50
            $0.newJobIntervalSeconds = 1
        }
        defer { harness.stop() }
        let token = try harness.login()
        let baseURL = harness.simulator.baseURL
        let clock = harness.clock
        let statuses = await withTaskGroup(of: [Int].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let transport = HTTPTransport()
                    var statuses: [Int] = []
                    for round in 0..<25 {
                        if worker == 0 { clock.advance(by: 0.5) }  // jobs keep being created
                        let listing = SimulatorListings.names[(worker + round) % 10]
                        let path = SimulatorListings.path(of: listing)!
                        let status =
                            (try? transport.send(
                                method: "GET", url: "\(baseURL)/api/v1/cckm/\(path)?limit=20",
                                headers: ["Authorization: Bearer \(token)"]
                            ).status) ?? -1
                        statuses.append(status)
                    }
                    return statuses
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 100)
        #expect(statuses.allSatisfy { $0 == 200 })
        let stats = harness.simulator.stats()
        #expect(stats.apiRequests == 101)
    }
}
