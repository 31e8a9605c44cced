import CCKMSimulator
import Testing

@testable import Polling

/// What the catch-up costs on a 2-node cluster whose second node is 5 s behind, behind a
/// round-robin balancer, while 20 jobs a second are created (polled every 30 s): every other
/// catch-up page comes from the node that lacks the newest 100 jobs, so it lists the asked
/// `skip` 100 jobs further on and holds no job read before. Asked again as it is, the next
/// node answers it in place; backed off a whole page, it was asked from the top of the listing
/// (a page already read, whole) and again, over a hundred pages a poll.
@Suite("The catch-up's cost on a cluster with a node behind", .serialized)
struct LaggingNodeCatchUpCostTests {
    @Test("a page from the node behind is asked again as it is, not from the top; every job counted")
    func pageFromTheNodeBehindIsAskedAgain() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 3_000, newJobIntervalSeconds: 0.05, regionSeconds: 3,
            failureRate: 0.15, abortRate: 0.1, seed: 11)
        configuration.behaviour.cluster = ClusterBehaviour(nodes: 2, laggingNodes: 1, lagSeconds: 5)
        configuration.life = LifeSettings(cancelledCompletedShare: 0.3)
        let harness = try PollerOnSimulator(configuration, pageSize: 500, secondsPerRequest: 0.02)
        #expect(harness.poll() == nil)  // the first walk
        let polls = 8
        let before = harness.simulator.stats()
        for _ in 0..<polls {
            harness.advance(seconds: 30)
            harness.poll()
        }
        let after = harness.simulator.stats()
        var fullPages = 0
        for (shape, count) in after.listingShapes where shape.filter == .none && shape.limit == 500 {
            fullPages += count - (before.listingShapes[shape] ?? 0)
        }
        // 600 new jobs a poll: the head page's 50, then two catch-up pages; one of them or two
        // asked again when the node behind answers them.
        #expect(fullPages <= 5 * polls, "\(fullPages) full listing pages over \(polls) polls")
        #expect(harness.completeWalks == 1)
        let differences = try harness.differencesAfterQuiet()
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }
}
