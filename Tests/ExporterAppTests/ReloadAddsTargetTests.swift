import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import Testing

@testable import ExporterApp

@Suite("Reload adding a target", .timeLimit(.minutes(1)))
struct ReloadAddsTargetTests {
    /// A configuration file naming `names`, each polling the simulator's aws listing.
    private func configuration(_ names: [String], simulator: CCKMSimulator) -> String {
        var yaml = "poll_interval: 1s\npoll_timeout: 1s\ntargets:\n"
        for name in names {
            yaml += """
                  - name: \(name)
                    url: \(simulator.baseURL)
                    clouds: [aws]
                    auth: {username: admin, password_file: "${SIM_PASSWORD_FILE}"}

                """
        }
        return yaml
    }

    @Test("a reload adding a target keeps the counters and the login of the unchanged one")
    func addingATargetKeepsCounters() throws {
        let simulator = try CCKMSimulator(
            configuration: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 10, newJobIntervalSeconds: 100_000, seed: 3))
        defer { simulator.shutdown() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("password")
        try "admin".write(to: passwordFile, atomically: true, encoding: .utf8)
        let configFile = directory.appendingPathComponent("cckm.yml")
        try configuration(["first"], simulator: simulator).write(
            to: configFile, atomically: true, encoding: .utf8)

        // A failed first poll of "first" gives it a counter a restart would lose.
        try simulator.injectFault(Fault(scope: .listings, count: 1, status: 403))
        let options = try ExporterOptions.parse([
            "--config.file=\(configFile.path)", "--web.listen-address=127.0.0.1:0",
        ])
        let settings = try RuntimeSettings(
            options: options, environment: ["SIM_PASSWORD_FILE": passwordFile.path])
        let runtime = try ExporterRuntime.start(
            settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        defer { runtime.stop() }
        let exporter = RuntimeScraper(port: runtime.port)

        try exporter.waitFor("a failed poll, then a good one") {
            $0.sum("cckm_poll_errors_total", ["cm=\"first\""]) >= 1
                && $0["cckm_up{cloud=\"aws\",cm=\"first\"}"] == 1
        }
        let before = try exporter.scrape()

        try configuration(["first", "second"], simulator: simulator).write(
            to: configFile, atomically: true, encoding: .utf8)
        guard case .success = runtime.reload() else {
            Issue.record("reload refused")
            return
        }
        let after = try exporter.waitFor("the added target's first poll") {
            $0["cckm_up{cloud=\"aws\",cm=\"second\"}"] == 1
        }
        for (series, value) in before where series.contains("cm=\"first\"") && series.contains("_total") {
            #expect((after[series] ?? -1) >= value, "\(series) went from \(value) to \(after[series] ?? -1)")
        }
        #expect(
            after.sum("cckm_poll_errors_total", ["cm=\"first\""])
                == before.sum("cckm_poll_errors_total", ["cm=\"first\""]))
        #expect(
            after.sum("cckm_api_requests_total", ["cm=\"first\"", "endpoint=\"auth\""]) == 1,
            "no new login for the kept target")
        #expect(after.sum("cckm_api_requests_total", ["cm=\"second\"", "endpoint=\"auth\""]) == 1)
        #expect(
            after.sum("cckm_sync_jobs_finished_total", ["cm=\"second\""])
                == after.sum("cckm_sync_jobs_finished_total", ["cm=\"first\""]))
    }
}

/// Scrapes an exporter started without ``ExporterUnderTest`` (here: from a configuration file).
private struct RuntimeScraper {
    let port: UInt16

    func scrape() throws -> [String: Double] {
        let response = try HTTPTransport().send(method: "GET", url: "http://127.0.0.1:\(port)/metrics")
        return parseExposition(String(decoding: response.body, as: UTF8.self))
    }

    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, _ condition: ([String: Double]) -> Bool) throws
        -> [String: Double]
    {
        try waitForMetrics(what, timeout: timeout, scrape: scrape, condition)
    }
}
