import CCKMClient
import CCKMSimulator
import Testing

/// A cluster answers each request from the next node, one of them lagging: a page from the
/// lagging node misses the jobs created in its lag, so its entries sit that many places higher
/// than the live node's. A walk whose pages alternate nodes must still list every job.
@Suite("a complete walk on a cluster with a lagging node")
struct LaggingNodeWalkTests {
    @Test(
        "pages from a node 5 s behind, alternating with the live one: every job listed, each once",
        arguments: [3, 12])
    func walkListsEveryJob(recent: Int) throws {
        let clock = ManualClock()
        let simulator = try Fixture.simulator(history: 40, clock: clock) {
            $0.behaviour.cluster = ClusterBehaviour(nodes: 2, laggingNodes: 1, lagSeconds: 5)
        }
        defer { simulator.shutdown() }
        clock.advance(by: 60)
        for _ in 0..<recent {
            try simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 1)
        }
        clock.advance(by: 1)
        let result = try Fixture.client(simulator, pageSize: 10).collectJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(Set(result.jobs.map(\.id)).count == result.jobs.count, "each job once")
        #expect(result.jobs.count == 40 + recent, "jobs listed: \(result.jobs.count) of \(40 + recent)")
    }
}
