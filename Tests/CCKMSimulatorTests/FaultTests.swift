import CCKMSimulator
import Foundation
import Testing

@Suite("Injected faults")
struct FaultTests {
    @Test("a status fault answers the next N requests with the error body and Retry-After")
    func statusBurst() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(count: 2, status: 503, retryAfterSeconds: 7))
        for _ in 0..<2 {
            let reply = try harness.page(token: token)
            #expect(reply.status == 503)
            #expect(reply.retryAfterSeconds == 7)
            #expect(reply.object["codeDesc"] as? String == "NCERRServiceUnavailable")
        }
        #expect(try harness.page(token: token).status == 200)
        #expect(harness.simulator.stats().faultsApplied == 2)
    }

    @Test("scope picks logins or listings; listing narrows to one listing")
    func scopes() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(scope: .auth, status: 500))
        #expect(try harness.page(token: token).status == 200)
        let rejected = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"password","username":"admin","password":"admin"}"#)
        #expect(rejected.status == 500)
        try harness.simulator.injectFault(Fault(scope: .listings, listing: "oci", status: 429))
        #expect(try harness.login().isEmpty == false)
        #expect(try harness.page("aws", token: token).status == 200)
        #expect(try harness.page("oci", token: token).status == 429)
    }

    @Test("count 0 keeps a fault until it is cleared")
    func untilCleared() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(scope: .listings, count: 0, status: 502))
        for _ in 0..<5 { #expect(try harness.page(token: token).status == 502) }
        harness.simulator.clearFaults()
        #expect(try harness.page(token: token).status == 200)
    }

    @Test("delay_ms slows the answer down without holding up other requests' state")
    func delay() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(delayMilliseconds: 300))
        let start = ContinuousClock.now
        #expect(try harness.page(token: token).status == 200)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
    }

    @Test("truncate cuts the JSON mid-way; invalid_json sends something that is not JSON")
    func brokenBodies() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let whole = try harness.page(token: token)
        try harness.simulator.injectFault(Fault(truncate: true))
        let cut = try harness.page(token: token)
        #expect(cut.status == 200)
        #expect(!cut.isJSON)
        #expect(cut.body.count == whole.body.count / 2)
        try harness.simulator.injectFault(Fault(invalidJSON: true))
        let garbage = try harness.page(token: token)
        #expect(garbage.status == 200 && !garbage.isJSON)
    }

    @Test("total_lies inflates total; a client paging to total meets an empty page")
    func totalLies() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(totalLies: 100))
        let reply = try harness.page(token: token)
        #expect(reply.object["total"] as? Int == 105)
        #expect(reply.resources.count == 5)
    }

    @Test("repeat_page answers page 2 with page 1's jobs")
    func repeatPage() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 30 }
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(repeatPage: true))
        let first = try harness.page("aws", "skip=0&limit=10", token: token)  // not consumed
        let second = try harness.page("aws", "skip=10&limit=10", token: token)
        #expect(second.object["skip"] as? Int == 10)
        #expect(second.resources.map(\.id) == first.resources.map(\.id))
        let third = try harness.page("aws", "skip=20&limit=10", token: token)
        #expect(Set(third.resources.map(\.id)).isDisjoint(with: first.resources.map(\.id)))
    }

    @Test("empty_page_early answers no jobs although total says there are more")
    func emptyPageEarly() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 30 }
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(emptyPageEarly: true))
        let reply = try harness.page("aws", "skip=10&limit=10", token: token)
        #expect(reply.resources.isEmpty)
        #expect(reply.object["total"] as? Int == 30)
    }

    @Test("insert_on_page inserts new jobs when that page is asked for, shifting older ones down")
    func insertBetweenPages() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 20 }
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(insertOnPage: 2, insertCount: 3))
        let first = try harness.page("aws", "skip=0&limit=10", token: token)
        let second = try harness.page("aws", "skip=10&limit=10", token: token)
        #expect(second.object["total"] as? Int == 23)
        // The last 3 jobs of page 1 show up again at the top of page 2.
        #expect(
            Array(second.resources.prefix(3).map(\.id))
                == Array(first.resources.suffix(3).map(\.id)))
        let all = try harness.allJobs(limit: 50, token: token)
        #expect(all.count == 23)
        #expect(all.prefix(3).allSatisfy { $0.status == "in_progress" })
    }

    @Test("page picks one listing page: earlier pages and logins pass untouched")
    func onePage() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 30 }
        defer { harness.stop() }
        try harness.simulator.injectFault(Fault(page: 2, status: 401))
        let token = try harness.login()
        #expect(try harness.page("aws", "skip=0&limit=10", token: token).status == 200)
        #expect(try harness.page("aws", "skip=10&limit=10", token: token).status == 401)
        #expect(try harness.page("aws", "skip=10&limit=10", token: token).status == 200, "used up")
    }

    @Test("body replaces the answer's text, keeping its status")
    func scriptedBody() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(scope: .listings, body: "<html>502</html>"))
        try harness.simulator.injectFault(Fault(scope: .listings, status: 503, body: ""))
        let html = try harness.page(token: token)
        #expect(html.status == 200 && html.text == "<html>502</html>")
        let empty = try harness.page(token: token)
        #expect(empty.status == 503 && empty.body.isEmpty)
    }

    @Test("omit_total leaves total out of a listing page")
    func omitTotal() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        try harness.simulator.injectFault(Fault(omitTotal: true))
        let reply = try harness.page(token: token)
        #expect(reply.object["total"] == nil)
        #expect(reply.object["skip"] as? Int == 0)
        #expect(reply.resources.count == 5)
        #expect(try harness.page(token: token).object["total"] as? Int == 5)
    }

    @Test("ignore_skip answers every page from skip 0")
    func ignoresSkip() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 30 }
        defer { harness.stop() }
        let token = try harness.login()
        let first = try harness.page("aws", "skip=0&limit=10", token: token)
        try harness.simulator.injectFault(Fault(count: 2, ignoresSkip: true))
        for skip in [10, 20] {
            let reply = try harness.page("aws", "skip=\(skip)&limit=10", token: token)
            #expect(reply.resources.map(\.id) == first.resources.map(\.id), "skip \(skip)")
        }
        let third = try harness.page("aws", "skip=20&limit=10", token: token)
        #expect(Set(third.resources.map(\.id)).isDisjoint(with: first.resources.map(\.id)))
    }

    @Test("POST /sim/faults takes page, body, omit_total and ignore_skip")
    func newFieldsOverHTTP() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 30 }
        defer { harness.stop() }
        let token = try harness.login()
        let queued = try harness.send(
            "POST", "/sim/faults",
            body: #"{"page":2,"body":"not json","omit_total":true,"ignore_skip":true}"#)
        #expect(queued.status == 201, "\(queued.text)")
        #expect(try harness.page("aws", "skip=0&limit=10", token: token).isJSON)
        #expect(try harness.page("aws", "skip=10&limit=10", token: token).text == "not json")
        harness.simulator.clearFaults()
        let shaped = try harness.send(
            "POST", "/sim/faults", body: #"{"omit_total":true,"ignore_skip":true}"#)
        #expect(shaped.status == 201)
        let reply = try harness.page("aws", "skip=10&limit=10", token: token)
        #expect(reply.object["total"] == nil)
        let first = try harness.page("aws", "skip=0&limit=10", token: token)
        #expect(reply.resources.map(\.id) == first.resources.map(\.id))
    }

    @Test("invalid faults are refused naming the field")
    func invalidFaults() throws {
        let harness = try SimulatorHarness { $0.listings = ["aws"] }
        defer { harness.stop() }
        #expect(throws: SimulatorError("count: must be 0 (until cleared) or more")) {
            try harness.simulator.injectFault(Fault(count: -1))
        }
        #expect(throws: SimulatorError.self) {
            try harness.simulator.injectFault(Fault(status: 42))
        }
        #expect(throws: SimulatorError.self) {
            try harness.simulator.injectFault(Fault(listing: "sap"))
        }
        #expect(throws: SimulatorError.self) {
            try harness.simulator.injectFault(Fault(insertOnPage: 0))
        }
        #expect(throws: SimulatorError("page: pages count from 1")) {
            try harness.simulator.injectFault(Fault(page: 0))
        }
    }
}
