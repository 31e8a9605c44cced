import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Testing

@testable import Polling

/// A running set too large for one poll is read over several (``RunningSetRound``): the jobs
/// its earlier pages showed stay held as running after they finish, until the next pass. CM's
/// per-status totals then differ from what is held for no fault of the listing.
@Suite("The consistency check while a large running set is read across polls", .timeLimit(.minutes(2)))
struct RunningSetCheckTests {
    @Test("no consistency check while the pass over the running set spans polls: no failed poll, no walk")
    func noCheckWhileThePassSpansPolls() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 100, newJobIntervalSeconds: 0, regionSeconds: 1, seed: 31)
        configuration.behaviour = APIBehaviour(pageLatencySeconds: 0.1)
        let cm = try PollerOnSimulator(
            configuration, pageSize: 10, pollTimeout: .seconds(2), fullResyncInterval: .seconds(60))
        cm.advance(seconds: 600)  // the history has finished
        for duration in Array(repeating: 10_000.0, count: 500) + Array(repeating: 45.0, count: 100) {
            try cm.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: duration)
            cm.advance(seconds: 0.01)
        }
        #expect(cm.poll() == nil)
        let inProgress = { cm.state.snapshot().listings[0].jobsByStatus.first { $0.status == "in_progress" } }
        #expect(inProgress()?.count == 600)
        // Pages of 10 at 0.1 s against a 1 s budget (half the poll timeout): the running set's
        // 60 pages take 6 polls (or 4, with the incremental polls of the check). The newest 100 finish between two of its pages, and the check
        // is due from the second poll on.
        for _ in 0..<4 {
            cm.advance(seconds: 30)
            #expect(cm.poll() == nil)
        }
        #expect(cm.completeWalks == 1, "\(cm.log.entries.map(\.message))")
        #expect(cm.state.snapshot().health[0].up)
        let due = try #require(cm.listing.nextCheck)
        #expect(due <= cm.pollerClock.now(), "the check waits for a poll that reads the running set whole")
    }
}
