import CCKMSimulator
import Testing

@testable import Polling

/// Purges that leave older jobs behind: CM's retention removes the oldest *finished* jobs,
/// and an old job that never finished stays the listing's oldest. The far end still shows
/// which held jobs are gone when the purge reaches into its page; when it does not, each
/// purge is walked for, also one of the same size as the last.
@Suite("Purges behind a running job", .timeLimit(.minutes(3)))
struct PurgeBehindRunningJobTests {
    static let orders = [
        APIBehaviour(stuckJobs: 1),
        APIBehaviour(sortHonoured: false, defaultOrder: .oldestFirst, stuckJobs: 1),
    ]

    /// A CM of 120 jobs, `stuck` of them running for ever (the oldest among them), that
    /// removes its 15 oldest finished jobs every 600 s, polled once after each of 3 purges.
    private static func purges(
        _ behaviour: APIBehaviour, stuck: Int, afterEach: (PollerOnSimulator, Int) throws -> Void
    ) throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 120, newJobIntervalSeconds: 0, failureRate: 0,
            abortRate: 0, seed: 4)
        configuration.behaviour = behaviour
        configuration.behaviour.stuckJobs = stuck
        let cm = try PollerOnSimulator(configuration)
        #expect(cm.poll() == nil)
        #expect(cm.jobsHeld == 120)
        try cm.simulator.updateLife(LifeSettings(purgeIntervalSeconds: 600, purgeCount: 15))
        for purge in 1...3 {
            cm.advance(seconds: 601)
            let counted = cm.finishedCounted
            #expect(cm.poll() == nil)
            let truth = try cm.simulator.truth(listing: "aws")
            #expect(truth.total == 120 - 15 * purge)
            #expect(cm.jobsHeld == UInt64(truth.total), "after purge \(purge)")
            #expect(cm.finishedCounted == counted, "counters stay")
            try afterEach(cm, purge)
        }
        #expect(cm.log.count("a complete walk did not explain CM's totals") == 0)
        #expect(cm.state.snapshot().health[0].consistencyNote == nil)
    }

    @Test(
        "a purge that left the oldest job, running, is repaired from the far end without a walk",
        arguments: orders)
    func purgeBehindRunningJobRepaired(behaviour: APIBehaviour) throws {
        try Self.purges(behaviour, stuck: 1) { cm, purge in
            #expect(cm.completeWalks == 1, "only the first walk")
            #expect(cm.log.count("purge repaired without a complete walk") == purge)
        }
    }

    @Test(
        "purges beyond the far end's page are walked for each, also one the size of the last",
        arguments: orders)
    func equalPurgesAreWalkedForEach(behaviour: APIBehaviour) throws {
        // Every second job runs for ever: the far end's 10 jobs do not reach past the purges.
        try Self.purges(behaviour, stuck: 60) { cm, purge in
            #expect(cm.completeWalks == 1 + purge, "one walk per purge")
        }
    }
}
