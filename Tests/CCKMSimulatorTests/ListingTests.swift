import CCKMSimulator
import Foundation
import Testing

@Suite("Listings: paging, order, filters")
struct ListingTests {
    @Test("paging with skip and limit covers every job exactly once, and total counts them")
    func pagingCoversAll() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 95 }
        defer { harness.stop() }
        let token = try harness.login()
        let first = try harness.page(token: token)
        #expect(first.object["total"] as? Int == 95)
        #expect(first.object["limit"] as? Int == 10)  // the default
        #expect(first.object["skip"] as? Int == 0)
        #expect(first.resources.count == 10)
        let jobs = try harness.allJobs(limit: 7, token: token)
        #expect(jobs.count == 95)
        #expect(Set(jobs.map(\.id)).count == 95)
        #expect(harness.simulator.stats().listingRequests("aws") == 1 + 14)
    }

    @Test("a limit above the maximum is clamped and the answer says so")
    func limitClamped() throws {
        let harness = try SimulatorHarness {
            $0.historyPerListing = 30
            $0.maxPageSize = 20
        }
        defer { harness.stop() }
        let reply = try harness.page("aws", "limit=500", token: try harness.login())
        #expect(reply.object["limit"] as? Int == 20)
        #expect(reply.resources.count == 20)
        #expect(reply.object["total"] as? Int == 30)
    }

    @Test("the default order is newest first; sort=createdAt and updatedAt order as asked")
    func sortOrders() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 25 }
        defer { harness.stop() }
        let token = try harness.login()
        func created(_ query: String) throws -> [String] {
            try harness.allJobs(extra: query, token: token).map { $0["createdAt"] as? String ?? "" }
        }
        let newestFirst = try created("")
        #expect(newestFirst == newestFirst.sorted(by: >))
        #expect(try created("&sort=-createdAt") == newestFirst)
        #expect(try created("&sort=createdAt") == newestFirst.reversed())
        let updated = try harness.allJobs(extra: "&sort=updatedAt", token: token)
            .map { $0["updatedAt"] as? String ?? "" }
        #expect(updated == updated.sorted())
        let bad = try harness.page("aws", "sort=color", token: token)
        #expect(bad.status == 400)
        #expect(bad.object["codeDesc"] as? String == "NCERRInvalidParamValue")
    }

    @Test("overall_status, id and scope filters narrow the listing and its total")
    func filters() throws {
        let harness = try SimulatorHarness { $0.historyPerListing = 0 }
        defer { harness.stop() }
        let sim = harness.simulator
        let failed = try sim.insertJob(
            listing: "aws", outcome: .failed, regions: ["us-east-1"], durationSeconds: 1)
        try sim.insertJob(
            listing: "aws", outcome: .completed, regions: ["eu-west-1"], durationSeconds: 1)
        try sim.insertJob(
            listing: "aws", outcome: .running, regions: ["210987654321/ap-south-1"],
            durationSeconds: 1)
        harness.clock.advance(by: 2)
        let token = try harness.login()

        let failedOnly = try harness.page("aws", "overall_status=failed", token: token)
        #expect(failedOnly.object["total"] as? Int == 1)
        #expect(failedOnly.resources.first?.id == failed)
        let twoStatuses = try harness.page(
            "aws", "overall_status=failed&overall_status=in_progress", token: token)
        #expect(twoStatuses.object["total"] as? Int == 2)

        let byID = try harness.page("aws", "id=\(failed)", token: token)
        #expect(byID.resources.map(\.id) == [failed])
        #expect(try harness.page("aws", "id=not-a-uuid", token: token).object["total"] as? Int == 0)

        let devKMS = try harness.page("aws", "kms=kms-dev", token: token)
        #expect(devKMS.resources.map(\.status) == ["in_progress"])
        let eitherRegion = try harness.page(
            "aws", "regions=us-east-1&regions=eu-west-1", token: token)
        #expect(eitherRegion.object["total"] as? Int == 2)
        let combined = try harness.page("aws", "kms=kms&overall_status=completed", token: token)
        #expect(
            combined.resources.first?.detailed == [
                "123456789012/eu-west-1": "region synchronized successfully"
            ])
    }

    @Test("GET by id answers the bare job; an unknown id gets 404 with the error body")
    func getByID() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let id = try harness.simulator.insertJob(
            listing: "azure", outcome: .completed, regions: ["kv-a"])
        let reply = try harness.send(
            "GET", "/api/v1/cckm/azure/synchronization-jobs/\(id)", token: token)
        #expect(reply.status == 200)
        #expect(reply.object.id == id)
        #expect(reply.object["resources"] == nil)
        #expect(reply.object["key_vaults"] as? [String] == ["kv-a"])
        let missing = try harness.send(
            "GET", "/api/v1/cckm/azure/synchronization-jobs/00000000-0000-4000-8000-000000000000",
            token: token)
        #expect(missing.status == 404)
        #expect(missing.object["codeDesc"] as? String == "NCERRResourceNotFound")
    }

    @Test("unknown paths get 404 and wrong methods 405, both with the error body")
    func unknownPathsAndMethods() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        for path in ["/api/v1/cckm/nimbus/synchronization-jobs", "/", "/api/v2/auth/tokens"] {
            let reply = try harness.send("GET", path, token: token)
            #expect(reply.status == 404, "\(path)")
            #expect(reply.object["code"] != nil, "\(path)")
        }
        let put = try harness.send("PUT", "/api/v1/cckm/aws/synchronization-jobs", token: token)
        #expect(put.status == 405)
        #expect(put.object["codeDesc"] as? String == "NCERRMethodNotAllowed")
        #expect(try harness.send("GET", "/api/v1/auth/tokens").status == 405)
        #expect(harness.simulator.stats().requests("other") == 5)
    }

    @Test("a listing not configured is not served")
    func unconfiguredListing() throws {
        let harness = try SimulatorHarness { $0.listings = ["aws"] }
        defer { harness.stop() }
        let reply = try harness.page("oci", token: try harness.login())
        #expect(reply.status == 404)
        #expect(throws: SimulatorError.self) {
            try harness.simulator.insertJob(listing: "oci", outcome: .completed)
        }
    }
}
