import CCKMSimulator
import Testing

/// The exporter under a CipherTrust Manager that lives (issue 20): for a few seeds and three
/// ways a real CM behaves (newest first; oldest first with `sort` ignored; a 2-node cluster
/// with one node behind), a short life with an outage and deleted running jobs, then quiet.
/// On simulated time (the simulator's and the poller's clocks are one), so a failure replays
/// exactly from its seed. `scripts/living-cm.sh` runs more seeds and longer lives.
@Suite("A CipherTrust Manager that lives", .serialized, .timeLimit(.minutes(10)))
struct LivingCMPropertyTests {
    @Test(
        "every metric equals the ground truth within a few quiet polls, counters never go down nor above the truth, quiet polls cost 1 + ⌈running / page⌉",
        arguments: LivingCMScenario.selected, LivingCMPlan.seeds)
    func convergesToTruth(scenario: LivingCMScenario, seed: UInt64) throws {
        let run = try LivingCMRun(scenario, seed: seed)
        try run.run()
        let replay = "seed \(seed), \(scenario.name)"
        let converged = run.convergedAt
        #expect(
            converged != nil && converged! <= LivingCMRun.convergencePolls,
            "\(replay): metrics equal the truth from quiet poll \(converged.map(String.init) ?? "never") (at most \(LivingCMRun.convergencePolls)); last differences: \(run.lastDifferences.joined(separator: "; ")); failed quiet polls: \(run.failedQuietPolls.prefix(2).joined(separator: "; "))"
        )
        #expect(run.counterDrops.isEmpty, "\(replay): \(run.counterDrops.prefix(5).joined(separator: "; "))")
        #expect(run.overCounts.isEmpty, "\(replay): \(run.overCounts.prefix(5).joined(separator: "; "))")
        #expect(run.costOverruns.isEmpty, "\(replay): \(run.costOverruns.prefix(5).joined(separator: "; "))")
    }
}
