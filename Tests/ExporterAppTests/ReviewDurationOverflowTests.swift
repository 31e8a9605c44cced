import ExporterConfig
import Testing

/// A configuration with an absurd duration is refused, on start and on reload, never a crash.
@Suite("Review: duration overflow")
struct ReviewDurationOverflowTests {
    @Test(
        "components that each fit but whose sum overflows are refused",
        arguments: ["292000000y15000000000w", "292000000y100000000000d"])
    func overflowingSum(text: String) {
        #expect(PrometheusDuration.parse(text) == nil)
    }

    @Test("a sum that fits still parses")
    func fittingSum() {
        #expect(PrometheusDuration.parse("1h30m") == .seconds(5400))
    }
}
