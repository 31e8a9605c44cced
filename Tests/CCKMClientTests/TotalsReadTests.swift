import CCKMClient
import CCKMSimulator
import CMWire
import JobMetrics
import Testing

/// How ``CMClient/totals(_:statuses:deadline:sent:)`` reads CM's answers: a `total` CM leaves
/// out is unknown, never the size of the page it came with (API-FACTS: "never read a missing
/// `total` as 0 jobs"), and a status answered without one is no sign the filter is ignored.
@Suite("consistency-check totals when CM leaves total out")
struct TotalsReadTests {
    private let statuses = KnownJobStatus.allCases.map(\.rawValue)

    @Test("every total given: the listing's and each status's, the filter honoured")
    func totalsGiven() throws {
        let simulator = try Fixture.simulator(history: 12)
        defer { simulator.shutdown() }
        var sent = 0
        let totals = try #require(
            try Fixture.client(simulator).totals(
                Fixture.aws, statuses: statuses, deadline: Fixture.deadline(), sent: &sent))
        #expect(totals.all == 12)
        #expect(totals.byStatus.values.reduce(0, +) <= 12)
        #expect(Set(totals.byStatus.keys) == Set(statuses))
        #expect(!totals.statusFilterIgnored)
    }

    @Test("a page of jobs without total: nothing to compare (nil), not a listing of one job")
    func totalLeftOut() throws {
        let simulator = try Fixture.simulator(history: 12)
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, count: 0, omitTotal: true))
        var sent = 0
        let totals = try Fixture.client(simulator).totals(
            Fixture.aws, statuses: statuses, deadline: Fixture.deadline(), sent: &sent)
        #expect(totals == nil)
        #expect(sent == 2, "one login and the listing's page: no status is asked without a total to compare")
    }
}
