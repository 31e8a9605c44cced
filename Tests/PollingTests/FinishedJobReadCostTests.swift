import CCKMSimulator
import Testing

@testable import Polling

/// What a poll costs while a CM creates more jobs between two polls than the head page holds
/// (5 and 18 a second, polled every 30 s): the head page opens a catch-up, whose page reads on
/// past the newest job held, over the jobs that were running at the last poll. Those that
/// finished since are read there, in their final state, not one by one with a `GET` each.
@Suite("The cost of jobs that finish between polls", .serialized)
struct FinishedJobReadCostTests {
    /// At 5 jobs a second, 150 new jobs: the catch-up's first page reaches its anchor 100 jobs
    /// in, and reads 400 past it. At 18, 540 new jobs: its first page ends 9 jobs past its
    /// anchor, before most of the jobs that were running; it reads one page more.
    @Test(
        "jobs that finished since the last poll are read from the catch-up's pages; every one counted",
        arguments: [0.2, 1.0 / 18])
    func finishedJobsAreReadFromTheCatchUpPages(newJobInterval: Double) throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 1_000, newJobIntervalSeconds: newJobInterval,
            regionSeconds: 3,
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
        // Dozens of jobs running at each poll: the catch-up's pages reach past them all. A job
        // they did not show is read at the next poll (at most one a poll here, for the odd
        // job still running past the end of the page).
        #expect(
            reads <= polls,
            "\(reads) single-job reads over \(polls) polls (\(running) jobs running at the end)")
        #expect(harness.completeWalks == 1)
        let differences = try harness.differencesAfterQuiet()
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }
}
