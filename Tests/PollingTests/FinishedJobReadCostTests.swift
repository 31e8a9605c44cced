import CCKMSimulator
import Testing

@testable import Polling

/// What a poll costs while a CM creates more jobs between two polls than the head page holds
/// (5 a second, polled every 30 s): the head page opens a catch-up, whose page reads on past
/// the newest job held, over the jobs that were running at the last poll. Those that finished
/// since are read there, in their final state, not one by one with a `GET` each.
@Suite("The cost of jobs that finish between polls", .serialized)
struct FinishedJobReadCostTests {
    @Test("jobs that finished within the catch-up's page are not read one by one; every one counted")
    func finishedJobsAreReadFromTheCatchUpPage() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 1_000, newJobIntervalSeconds: 0.2, regionSeconds: 3,
            failureRate: 0.15, abortRate: 0.1, seed: 5)
        configuration.life = LifeSettings(cancelledCompletedShare: 0.3)
        let harness = try PollerOnSimulator(configuration, pageSize: 500)
        #expect(harness.poll() == nil)  // the first walk
        let polls = 10
        let before = harness.simulator.stats()
        for _ in 0..<polls {
            harness.advance(seconds: 30)
            #expect(harness.poll() == nil)
        }
        let after = harness.simulator.stats()
        let reads = after.requests("get:aws") - before.requests("get:aws")
        let running = try harness.simulator.truth(listing: "aws").running
        // About 150 new jobs a poll and dozens running at each: one catch-up page reaches past
        // them all. A job the page did not show is read at the next poll (at most one a poll
        // here, for the odd job still running at the end of the page).
        #expect(
            reads <= polls,
            "\(reads) single-job reads over \(polls) polls (\(running) jobs running at the end)")
        // Quiet until a consistency check: every finished job counted once.
        try harness.simulator.updateLife(LifeSettings())
        var settings = harness.simulator.settings()
        settings.newJobIntervalSeconds = 0
        try harness.simulator.updateSettings(settings)
        for _ in 0..<22 {
            harness.advance(seconds: 30)
            #expect(harness.poll() == nil)
        }
        let differences = LivingCMComparison.differences(
            harness.state.snapshot().listings[0], try harness.simulator.truth(listing: "aws"))
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }
}
