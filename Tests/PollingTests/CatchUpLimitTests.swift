import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Testing

@testable import ExporterConfig
@testable import Polling

/// A catch-up's pages are applied one by one, but they are not polls: a limit they reach is
/// counted in `cckm_exporter_limit_reached_total` and logged once, not once a page.
@Suite("Limits reached by a catch-up's pages", .timeLimit(.minutes(2)))
struct CatchUpLimitTests {
    @Test("a catch-up of 5 pages past the jobs limit counts and logs the limit once, not per page")
    func limitCountedOncePerCatchUp() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 100, newJobIntervalSeconds: 0, regionSeconds: 1,
                seed: 41),
            limits: DataLimits(listing: ListingLimits(jobs: 120)))
        cm.advance(seconds: 600)
        #expect(cm.poll() == nil)
        for _ in 0..<500 {
            try cm.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.1)
            cm.advance(seconds: 0.01)
        }
        let counted = { cm.state.snapshot().health[0].limitsReached[.jobs] ?? 0 }
        cm.advance(seconds: 30)
        #expect(cm.poll() == nil)  // the head page, then the catch-up to its end
        #expect(!cm.listing.progress.catchUp.isOpen)
        // The due poll's head page reached it, and the catch-up's pages: once each.
        #expect(counted() <= 2, "cckm_exporter_limit_reached_total{limit=\"jobs\"}: \(counted())")
        #expect(
            cm.log.count("limit reached") <= 2, "limit reached logged \(cm.log.count("limit reached")) times")
        #expect(counted() >= 1)
    }
}
