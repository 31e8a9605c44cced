import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import TestSupport
import Testing

@testable import ExporterConfig
@testable import Polling

/// The smaller ways a poller walked for nothing or showed a walk running for ever (issue 19,
/// item 4): a status folded into `other`, a `Retry-After` longer than a request's retries
/// wait, a walk cut short by a reload.
@Suite("Walks and the newest jobs: edge cases", .timeLimit(.minutes(2)))
struct WalkAndHeadEdgeTests {
    @Test("a finished job held as other (--cm.max-statuses) is no status change: no walk")
    func foldedStatusIsNoChange() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 30, newJobIntervalSeconds: 0, seed: 8),
            limits: DataLimits(listing: ListingLimits(statuses: 5)))
        #expect(cm.poll() == nil)
        try cm.simulator.insertJob(listing: "aws", outcome: .status("error"), durationSeconds: 0)
        for _ in 0..<3 {
            cm.advance(seconds: 30)
            #expect(cm.poll() == nil)
        }
        #expect(cm.log.count("complete walk needed") == 0, "\(cm.log.entries.map(\.metadata))")
        #expect(cm.completeWalks == 1)
        #expect(
            cm.state.snapshot().listings[0].jobsByStatus.contains { $0.status == "other" && $0.count == 1 })
    }

    @Test("a walk page answered 503 with Retry-After: 120 is asked again after 120 s, not 2 s")
    func walkHonoursLongRetryAfter() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 250, newJobIntervalSeconds: 0, seed: 3))
        try cm.simulator.injectFault(
            Fault(scope: .listings, page: 2, count: 1, status: 503, retryAfterSeconds: 120))
        #expect(cm.poll()?.reason == .http)
        let retry = try #require(cm.listing.retryWalkAt)
        #expect(retry - cm.pollerClock.now() >= .seconds(120))
        cm.advance(seconds: 60)
        #expect(!cm.listing.walkIsReady(at: cm.pollerClock.now()))
        cm.advance(seconds: 60)
        #expect(cm.listing.walkIsReady(at: cm.pollerClock.now()))
        #expect(cm.poll() == nil)
        #expect(cm.jobsHeld == 250)
    }

    @Test("a walk cut short by a reload closes its record on the status page")
    func walkStoppedByReloadIsClosed() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 600, newJobIntervalSeconds: 0, seed: 6)
        configuration.behaviour = APIBehaviour(pageLatencySeconds: 0.05)
        let cm = try PollerOnSimulator(configuration, pageSize: 10)
        cm.poller.start()
        try waitUntil("the walk under way") { cm.state.snapshot().health[0].walk?.pages ?? 0 >= 2 }
        #expect(cm.state.journal.recentPolls(cm.key).first?.outcome == .running)
        cm.poller.stop()
        try waitUntil("the walk's record closed") {
            cm.state.journal.recentPolls(cm.key).first?.outcome != .running
        }
        guard case .failed(let reason, _) = cm.state.journal.recentPolls(cm.key).first?.outcome else {
            Issue.record("the record is not marked stopped")
            return
        }
        #expect(reason == "stopped")
        #expect(cm.state.snapshot().health[0].walk == nil)
    }
}
