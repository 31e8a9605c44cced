import CCKMSimulator
import Foundation
import Testing

@Suite("Default settings make a lively demo")
struct DemoTimingTests {
    @Test(
        "within a minute every listing starts jobs, shows regions in progress, and finishes jobs failed and aborted"
    )
    func everyStatusMovesWithinAMinute() throws {
        let harness = try SimulatorHarness { $0 = SimulatorConfiguration() }  // the demo's defaults
        defer { harness.stop() }
        let clock = harness.clock
        let start = "2024-01-01T00:00:00.000000Z"  // ManualClock's default start
        #expect(clock.now() == 1_704_067_200)
        var sawRegionsInProgress: Set<String> = []
        var newJobs: [String: [[String: Any]]] = [:]
        for _ in 0..<12 {
            clock.advance(by: 5)
            let token = try harness.login()
            for listing in SimulatorListings.names {
                let reply = try harness.page(listing, "limit=20", token: token)
                let fresh = reply.resources.filter { ($0["createdAt"] as? String ?? "") > start }
                newJobs[listing] = fresh
                if fresh.contains(where: {
                    $0.status == "in_progress" && $0.detailed.values.contains("in_progress")
                }) {
                    sawRegionsInProgress.insert(listing)
                }
            }
        }
        for listing in SimulatorListings.names {
            let statuses = Set(newJobs[listing, default: []].map(\.status))
            #expect(statuses.contains("failed"), "\(listing): \(statuses)")
            // Cancelled GCP jobs end completed.
            #expect(
                statuses.contains(listing == "google" ? "completed" : "aborted"),
                "\(listing): \(statuses)")
        }
        #expect(sawRegionsInProgress == Set(SimulatorListings.names))
        #expect(newJobs.values.joined().contains { $0.status == "completed" })
        let awsAccounts = Set(
            newJobs["aws", default: []].flatMap { $0.detailed.keys.map { $0.prefix(12) } })
        #expect(awsAccounts.count >= 2)
    }
}
