import CCKMSimulator
import Foundation
import Testing

@Suite("Control endpoints under /sim")
struct AdminEndpointTests {
    @Test("POST /sim/jobs inserts a job with a forced outcome and answers its id")
    func insertJob() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let reply = try harness.send(
            "POST", "/sim/jobs",
            body:
                #"{"listing":"aws","outcome":"failed","regions":["us-east-1"],"duration_seconds":2}"#
        )
        #expect(reply.status == 201)
        let id = try #require(reply.object["id"] as? String)
        harness.clock.advance(by: 2)
        let job = try harness.send(
            "GET", "/api/v1/cckm/aws/synchronization-jobs/\(id)", token: try harness.login())
        #expect(job.object.status == "failed")
        let bad = try harness.send("POST", "/sim/jobs", body: #"{"listing":"nope"}"#)
        #expect(bad.status == 400)
        #expect((bad.object["message"] as? String)?.hasPrefix("listing:") == true)
        let unknownKey = try harness.send("POST", "/sim/jobs", body: #"{"regoins":["x"]}"#)
        #expect(unknownKey.object["message"] as? String == #"unknown field "regoins""#)
    }

    @Test("POST /sim/faults queues a fault; DELETE clears them")
    func faults() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let queued = try harness.send(
            "POST", "/sim/faults",
            body: #"{"status":503,"count":5,"scope":"listings","retry_after":2}"#)
        #expect(queued.status == 201)
        let hit = try harness.page(token: token)
        #expect(hit.status == 503 && hit.retryAfterSeconds == 2)
        #expect(try harness.send("DELETE", "/sim/faults").status == 204)
        #expect(try harness.page(token: token).status == 200)
        let bad = try harness.send("POST", "/sim/faults", body: #"{"scope":"everything"}"#)
        #expect(bad.status == 400)
    }

    @Test("GET /sim/stats counts API requests by endpoint and logins by grant")
    func stats() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        _ = try harness.allJobs(limit: 2, token: token)  // 3 pages of 5 jobs
        _ = try harness.page("google", token: token)
        let stats = try harness.send("GET", "/sim/stats").object
        #expect(
            stats["requests"] as? [String: Int] == ["auth": 1, "list:aws": 3, "list:google": 1])
        #expect(stats["logins"] as? [String: Int] == ["password": 1])
        #expect(stats["api_requests"] as? Int == 5)
        #expect((stats["jobs"] as? [String: Int])?["aws"] == 5)
        #expect(harness.simulator.stats().listingRequests("aws") == 3)
    }

    @Test("POST /sim/settings changes the token lifetime of later logins")
    func settings() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let updated = try harness.send(
            "POST", "/sim/settings", body: #"{"token_lifetime_seconds":2}"#)
        #expect(updated.status == 200)
        #expect(updated.object["token_lifetime_seconds"] as? Int == 2)
        let login = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"password","username":"admin","password":"admin"}"#)
        #expect(login.object["duration"] as? Int == 2)
        #expect(harness.simulator.settings().tokenLifetimeSeconds == 2)
        let bad = try harness.send("POST", "/sim/settings", body: #"{"failure_rate":2}"#)
        #expect(bad.status == 400)
        #expect((bad.object["message"] as? String)?.hasPrefix("failureRate") == true)
    }

    @Test("POST /sim/tokens/expire and /sim/reset")
    func expireAndReset() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.insertJob(listing: "aws", outcome: .completed)
        try harness.simulator.injectFault(Fault(scope: .auth, count: 0, status: 500))
        #expect(try harness.send("POST", "/sim/tokens/expire").status == 204)
        #expect(try harness.page(token: token).status == 401)
        #expect(try harness.send("POST", "/sim/reset").status == 204)
        let fresh = try harness.login()  // the fault is gone
        #expect(try harness.page(token: fresh).object["total"] as? Int == 5)
        #expect(harness.simulator.stats().requests == ["auth": 1, "list:aws": 1])
    }

    @Test("GET /sim describes the endpoints; unknown /sim paths get 404, wrong methods 405")
    func help() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        #expect(try harness.send("GET", "/sim").text.contains("/sim/faults"))
        #expect(try harness.send("GET", "/sim/nothing").status == 404)
        #expect(try harness.send("GET", "/sim/reset").status == 405)
        #expect(harness.simulator.stats().apiRequests == 0)
    }
}
