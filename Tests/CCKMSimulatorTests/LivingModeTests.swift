import CCKMSimulator
import Foundation
import Testing

/// The living CM's modes (issue 20): life on a schedule, outages, deletions with the unknown-id
/// status, a lagging cluster node, page shapes, and the ground truth that counts purged jobs.
@Suite("A CipherTrust Manager that lives: simulator modes")
struct LivingModeTests {
    @Test("the same seed and requests give the same life, burst, purge and truth")
    func seededLifeReplays() throws {
        func live(seed: UInt64) throws -> (SimulatorTruth, [String]) {
            let harness = try SimulatorHarness { configuration in
                configuration.listings = ["aws"]
                configuration.historyPerListing = 50
                configuration.newJobIntervalSeconds = 2
                configuration.seed = seed
                configuration.life = LifeSettings(
                    burstIntervalSeconds: 30, burstSize: 20, cancelledCompletedShare: 0.5,
                    purgeIntervalSeconds: 40, purgeCount: 5)
            }
            defer { harness.stop() }
            let token = try harness.login()
            harness.clock.advance(by: 95)
            let ids = try harness.allJobs(limit: 1000, token: token).map(\.id)
            return (try harness.simulator.truth(listing: "aws"), ids)
        }
        let (first, firstIDs) = try live(seed: 7)
        let (again, againIDs) = try live(seed: 7)
        let (other, _) = try live(seed: 8)
        #expect(first == again)
        #expect(firstIDs == againIDs)
        #expect(first != other)
        // 50 of history, 3 bursts of 20, ~47 random jobs, minus 2 purges of 5.
        #expect(first.total == firstIDs.count)
        #expect((140...175).contains(first.total), "\(first.total)")
        let finishedEver = first.finished.values.map(\.count).reduce(0, +)
        let finishedNow = first.jobsByStatus.filter { $0.key != "in_progress" }.values.reduce(0, +)
        #expect(finishedEver == finishedNow + 10, "the purged jobs stay in the truth's counters")
    }

    @Test("an outage answers every sync-job request with its status while jobs go on; logins work")
    func outage() throws {
        let harness = try SimulatorHarness {
            $0.listings = ["aws"]; $0.newJobIntervalSeconds = 1
        }
        defer { harness.stop() }
        let token = try harness.login()
        let before = try harness.simulator.truth(listing: "aws").total
        try harness.simulator.startOutage(Outage(status: 502, seconds: 30))
        harness.clock.advance(by: 20)
        #expect(try harness.page(token: token).status == 502)
        #expect(try harness.login().isEmpty == false)
        harness.clock.advance(by: 11)
        let reply = try harness.page(token: token)
        #expect(reply.status == 200)
        #expect((reply.object["total"] as? Int ?? 0) > before + 20, "the backlog piled up behind the outage")
    }

    @Test("a deleted running job is gone, and its GET answers the configured status", arguments: [404, 500])
    func deletion(status: Int) throws {
        let harness = try SimulatorHarness {
            $0.listings = ["aws"]
            $0.behaviour.stuckJobs = 2
            $0.behaviour.unknownJobStatus = status
        }
        defer { harness.stop() }
        let token = try harness.login()
        let deleted = try harness.simulator.deleteRunningJobs(listing: "aws", count: 1)
        #expect(deleted.count == 1)
        let reply = try harness.send(
            "GET", "/api/v1/cckm/aws/synchronization-jobs/\(deleted[0])", token: token)
        #expect(reply.status == status)
        #expect(try harness.allJobs(token: token).map(\.id).contains(deleted[0]) == false)
        #expect(try harness.simulator.truth(listing: "aws").running == 1)
    }

    @Test("a lagging node answers from its copy of `lag` seconds ago, round robin with the live one")
    func laggingNode() throws {
        let harness = try SimulatorHarness {
            $0.listings = ["aws"]
            $0.historyPerListing = 10
            $0.behaviour.cluster = ClusterBehaviour(nodes: 2, laggingNodes: 1, lagSeconds: 10)
        }
        defer { harness.stop() }
        let token = try harness.login()
        harness.clock.advance(by: 20)
        try harness.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 1)
        try harness.simulator.purgeOldest(listing: "aws", count: 3)
        harness.clock.advance(by: 5)
        let totals = try (0..<4).map { _ in try harness.page(token: token).object["total"] as? Int }
        // Live: 10 + 1 − 3; 10 s behind: neither the new job nor the purge yet.
        #expect(totals == [8, 10, 8, 10])
        harness.clock.advance(by: 10)
        #expect(try (0..<2).map { _ in try harness.page(token: token).object["total"] as? Int } == [8, 8])
    }

    @Test("a silent page cap serves fewer jobs than the limit it echoes; empty pages take their shape")
    func pageShapes() throws {
        for shape in PageBehaviour.EmptyPageShape.allCases {
            let harness = try SimulatorHarness {
                $0.listings = ["aws"]
                $0.historyPerListing = 30
                $0.behaviour.pages = PageBehaviour(silentCap: 7, emptyPage: shape)
            }
            defer { harness.stop() }
            let token = try harness.login()
            let page = try harness.page(token: token)
            #expect(page.resources.count == 7)
            #expect(page.object["limit"] as? Int == 10)
            let empty = try harness.page("aws", "skip=100", token: token).object
            switch shape {
            case .emptyArray: #expect(empty["resources"] as? [Any] != nil && empty["total"] as? Int == 30)
            case .null: #expect(empty["resources"] is NSNull && empty["total"] as? Int == 30)
            case .absent: #expect(empty["resources"] == nil && empty["total"] == nil)
            }
        }
    }

    @Test("a 5xx share of listing pages; requests take simulated time")
    func serverErrorsAndRequestTime() throws {
        let harness = try SimulatorHarness {
            $0.listings = ["aws"]
            $0.life = LifeSettings(serverErrorRate: 0.3, serverErrorStatus: 500, requestSeconds: 0.5)
        }
        defer { harness.stop() }
        let token = try harness.login()
        let start = harness.clock.now()
        let statuses = try (0..<40).map { _ in try harness.page(token: token).status }
        #expect(Set(statuses) == [200, 500])
        #expect((6...20).contains(statuses.filter { $0 == 500 }.count), "\(statuses)")
        #expect(harness.clock.now() - start == 0.5 * 40, "40 pages of half a second")
    }

    @Test("/sim/life, /sim/outage, /sim/deletions and /sim/truth for scripts; bad values name the field")
    func controlEndpoints() throws {
        let harness = try SimulatorHarness {
            $0.listings = ["aws"]; $0.behaviour.stuckJobs = 3
        }
        defer { harness.stop() }
        let set = try harness.send(
            "POST", "/sim/life", body: #"{"burst_interval_seconds":10,"burst_size":4}"#)
        #expect(set.status == 200)
        #expect(set.object["burst_size"] as? Int == 4)
        #expect(harness.simulator.life().burstIntervalSeconds == 10)
        let bad = try harness.send("POST", "/sim/life", body: #"{"server_error_rate":2}"#)
        #expect(bad.status == 400)
        #expect(bad.text.contains("server_error_rate"))
        #expect(try harness.send("POST", "/sim/life", body: #"{"bursts":1}"#).status == 400)
        harness.clock.advance(by: 10)
        let truth = try harness.send("GET", "/sim/truth?listing=aws")
        #expect(truth.status == 200)
        #expect((truth.object["jobs_by_status"] as? [String: Int])?.values.reduce(0, +) == 5 + 4)
        let deleted = try harness.send("POST", "/sim/deletions", body: #"{"listing":"aws","count":2}"#)
        #expect((deleted.object["deleted"] as? [String])?.count == 2)
        #expect(try harness.send("POST", "/sim/outage", body: #"{"status":503,"seconds":5}"#).status == 204)
        #expect(try harness.page(token: try harness.login()).status == 503)
        #expect(try harness.send("DELETE", "/sim/truth").status == 405)
        #expect(try harness.send("GET", "/sim").text.contains("/sim/truth"))
    }
}
