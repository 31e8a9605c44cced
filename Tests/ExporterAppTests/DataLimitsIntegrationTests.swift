import CCKMClient
import CCKMSimulator
import Foundation
import Testing

@testable import ExporterApp
@testable import ExporterConfig

/// The limits on what CM data may cost, end to end: flags, folding, the counter and the log
/// line's effect on `/metrics`.
@Suite("Limits on CM data", .timeLimit(.minutes(3)))
struct DataLimitsIntegrationTests {
    @Test("a CM inventing statuses costs at most --cm.max-statuses series, the rest folds into other")
    func inventedStatusesFold() throws {
        let exporter = try ExporterUnderTest(
            simulator: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 5, newJobIntervalSeconds: 1000),
            flags: ["--cm.max-statuses=8"])
        try exporter.waitFor("up") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        for index in 0..<20 {
            try exporter.simulator.insertJob(
                listing: "aws", outcome: .status("invented-\(index)"), durationSeconds: 0)
        }
        let metrics = try exporter.waitFor("the fold counted") {
            $0.sum("cckm_exporter_limit_reached_total", ["limit=\"statuses\""]) >= 1
        }
        let statuses = metrics.keys.filter { $0.hasPrefix("cckm_sync_jobs{") }
        #expect(statuses.count <= 8, "\(statuses.sorted())")
        #expect(statuses.contains { $0.contains("status=\"other\"") })
        #expect(metrics.sum("cckm_sync_jobs", ["cloud=\"aws\""]) == 25)
    }

    @Test("an answer over --cm.max-response-bytes fails the poll (decode) and counts the limit")
    func oversizedAnswer() throws {
        let exporter = try ExporterUnderTest(
            simulator: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 100, newJobIntervalSeconds: 1000),
            flags: ["--cm.max-response-bytes=4096"])
        let metrics = try exporter.waitFor("the limit counted") {
            $0.sum("cckm_exporter_limit_reached_total", ["limit=\"response_bytes\""]) >= 1
        }
        #expect(metrics.sum("cckm_poll_errors_total", ["reason=\"decode\""]) >= 1)
        #expect(metrics["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 0)
    }

    @Test("a limit below its minimum is refused with the flag's name")
    func flagBounds() throws {
        #expect(throws: ConfigurationError.self) {
            try RuntimeSettings(
                options: ExporterOptions.parse([
                    "--cm.url=https://cm", "--cm.username=u", "--cm.max-statuses=2",
                ]),
                environment: ["CCKM_PASSWORD": "p"])
        }
    }
}
