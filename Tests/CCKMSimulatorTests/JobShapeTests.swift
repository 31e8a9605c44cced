import CCKMSimulator
import Foundation
import Testing

@Suite("Job documents match the contract's table and the reference example")
struct JobShapeTests {
    /// One row of CONTRACT.md §1's listing table.
    struct Row: Sendable, CustomTestStringConvertible {
        var listing: String
        var path: String
        var cloud: String
        var scopeArrays: [String]
        var testDescription: String { listing }
    }

    static let table: [Row] = [
        Row(
            listing: "aws", path: "aws/synchronization-jobs", cloud: "aws",
            scopeArrays: ["kms", "regions"]),
        Row(
            listing: "aws-custom-key-stores", path: "aws/custom-key-stores/synchronization-jobs",
            cloud: "aws", scopeArrays: ["kms"]),
        Row(
            listing: "azure", path: "azure/synchronization-jobs", cloud: "azure",
            scopeArrays: ["key_vaults"]),
        Row(
            listing: "azure-certificates", path: "azure/certificates/synchronization-jobs",
            cloud: "azure", scopeArrays: ["key_vaults"]),
        Row(
            listing: "azure-secrets", path: "azure/secrets/synchronization-jobs", cloud: "azure",
            scopeArrays: ["key_vaults"]),
        Row(
            listing: "google", path: "google/synchronization-jobs", cloud: "gcp",
            scopeArrays: ["key_rings"]),
        Row(
            listing: "oci", path: "oci/synchronization-jobs", cloud: "oci", scopeArrays: ["vaults"]),
        Row(
            listing: "sap", path: "sap/synchronization-jobs", cloud: "sap", scopeArrays: ["groups"]),
        Row(
            listing: "sfdc-keys", path: "sfdc/keys/synchronization-jobs", cloud: "salesforce",
            scopeArrays: ["organizations"]),
        Row(
            listing: "sfdc-certificates", path: "sfdc/certificates/synchronization-jobs",
            cloud: "salesforce", scopeArrays: []),
    ]

    static let commonKeys: Set<String> = [
        "id", "uri", "account", "application", "devAccount", "createdAt", "updatedAt",
        "completed_at", "overall_status", "detailed_status", "cloud", "abort",
    ]

    @Test(
        "every listing of the table is served at its path with its scope arrays", arguments: table)
    func listingShape(row: Row) throws {
        #expect(SimulatorListings.path(of: row.listing) == row.path)
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let reply = try harness.send("GET", "/api/v1/cckm/\(row.path)", token: try harness.login())
        #expect(reply.status == 200)
        #expect(reply.resources.count == 5)
        for job in reply.resources {
            #expect(Set(job.keys) == Self.commonKeys.union(row.scopeArrays))
            #expect(job["cloud"] as? String == row.cloud)
            #expect(job["uri"] as? String == "kylo:kylo:cckm:synchronize:\(job.id)")
            #expect(!job.detailed.isEmpty)
        }
    }

    @Test("the contract's listing names are exactly the simulator's")
    func listingNames() {
        #expect(SimulatorListings.names == Self.table.map(\.listing))
    }

    @Test("timestamps are RFC 3339 UTC with microseconds; a running job has Go's zero completed_at")
    func timestamps() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        try harness.simulator.insertJob(listing: "aws", outcome: .running, regions: ["us-east-1"])
        let jobs = try harness.page(token: try harness.login()).resources
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/#
        for job in jobs {
            for key in ["createdAt", "updatedAt"] {
                #expect(
                    (job[key] as? String)?.wholeMatch(of: pattern) != nil,
                    "\(key) \(job[key] ?? "")")
            }
            let completedAt = job["completed_at"] as? String ?? ""
            if job.status == "in_progress" {
                #expect(completedAt == "0001-01-01T00:00:00Z")
            } else {
                #expect(completedAt.wholeMatch(of: pattern) != nil)
                #expect(completedAt >= job["createdAt"] as? String ?? "")
            }
        }
        #expect(jobs.first?.status == "in_progress")
    }

    @Test(
        "a running job's completed_at can also be absent or null",
        arguments: [
            CompletedAtStyle.absent, .null, .goZeroTime,
        ])
    func completedAtStyles(style: CompletedAtStyle) throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let id = try harness.simulator.insertJob(
            listing: "aws", outcome: .completed, regions: ["us-east-1"], durationSeconds: 5,
            completedAt: style)
        let token = try harness.login()
        let running = try harness.send(
            "GET", "/api/v1/cckm/aws/synchronization-jobs/\(id)", token: token)
        switch style {
        case .absent: #expect(!running.text.contains("completed_at"))
        case .null: #expect(running.text.contains(#""completed_at":null"#))
        case .goZeroTime: #expect(running.text.contains(#""completed_at":"0001-01-01T00:00:00Z""#))
        }
        harness.clock.advance(by: 5)
        let finished = try harness.send(
            "GET", "/api/v1/cckm/aws/synchronization-jobs/\(id)", token: token)
        #expect(finished.object["completed_at"] is String)
        #expect(finished.object.status == "completed")
    }

    @Test("the same seed and clock give the same jobs")
    func deterministic() throws {
        let first = try SimulatorHarness { $0.seed = 42 }
        defer { first.stop() }
        let second = try SimulatorHarness { $0.seed = 42 }
        defer { second.stop() }
        let third = try SimulatorHarness { $0.seed = 43 }
        defer { third.stop() }
        let a = try first.page(token: first.login()).text
        #expect(a == (try second.page(token: second.login()).text))
        #expect(a != (try third.page(token: third.login()).text))
    }
}
