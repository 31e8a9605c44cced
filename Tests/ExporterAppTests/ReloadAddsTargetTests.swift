import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import TestSupport
import Testing

@testable import ExporterApp

@Suite("Reload adding a target", .timeLimit(.minutes(3)))
struct ReloadAddsTargetTests {
    /// A configuration file naming `names`, each polling the simulator's aws listing.
    private func configuration(_ names: [String], simulator: CCKMSimulator, pageSize: Int = 500) -> String {
        var yaml = "poll_interval: 1s\npoll_timeout: 1s\ntargets:\n"
        for name in names {
            yaml += """
                  - name: \(name)
                    url: \(simulator.baseURL)
                    clouds: [aws]
                    page_size: \(pageSize)
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
        let counters = before.filter { $0.key.contains("cm=\"first\"") && $0.key.contains("_total") }
        let families = Set(counters.keys.compactMap { $0.split(separator: "{").first.map(String.init) })
        #expect(
            families.isSuperset(of: [
                "cckm_poll_errors_total", "cckm_api_requests_total", "cckm_sync_jobs_finished_total",
            ]), "the kept target's counters before the reload: \(families.sorted())")
        for (series, value) in counters {
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

extension ReloadAddsTargetTests {
    /// A reload removes a target while its complete walk is under way on a slow CM: its
    /// series leave at once and never come back (its in-flight request is not counted), and it
    /// leaves the status page too.
    @Test("a target removed mid-walk leaves no series behind")
    func removedMidWalkLeavesNoGhost() throws {
        var simulatorConfiguration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 100_000, seed: 4)
        simulatorConfiguration.behaviour = APIBehaviour(pageLatencySeconds: 0.05)
        let simulator = try CCKMSimulator(configuration: simulatorConfiguration)
        defer { simulator.shutdown() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ghost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("password")
        try "admin".write(to: passwordFile, atomically: true, encoding: .utf8)
        let configFile = directory.appendingPathComponent("cckm.yml")
        try configuration(["gone", "kept"], simulator: simulator, pageSize: 10).write(
            to: configFile, atomically: true, encoding: .utf8)
        let settings = try RuntimeSettings(
            options: try ExporterOptions.parse([
                "--config.file=\(configFile.path)", "--web.listen-address=127.0.0.1:0",
            ]),
            environment: ["SIM_PASSWORD_FILE": passwordFile.path])
        let runtime = try ExporterRuntime.start(
            settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        defer { runtime.stop() }
        let exporter = RuntimeScraper(port: runtime.port)
        try exporter.waitFor("gone's walk under way with requests counted") {
            $0.sum("cckm_listing_walk_started_timestamp_seconds", ["cm=\"gone\""]) > 0
                && $0.sum("cckm_api_requests_total", ["cm=\"gone\"", "endpoint=\"sync_jobs\""]) >= 2
        }
        try configuration(["kept"], simulator: simulator, pageSize: 10).write(
            to: configFile, atomically: true, encoding: .utf8)
        guard case .success = runtime.reload() else {
            Issue.record("reload refused")
            return
        }
        // Long enough for the removed poller's request under way to answer: "kept" sends
        // several more requests meanwhile, each as slow.
        let base = try exporter.scrape().sum("cckm_api_requests_total", ["cm=\"kept\""])
        let after = try exporter.waitFor("five more requests of the kept target") {
            $0.sum("cckm_api_requests_total", ["cm=\"kept\""]) >= base + 5
        }
        #expect(
            after.keys.filter { $0.contains("cm=\"gone\"") }.isEmpty,
            "\(after.keys.filter { $0.contains("gone") })")
        let page = try HTTPTransport().send(method: "GET", url: "http://127.0.0.1:\(runtime.port)/debug")
        #expect(!String(decoding: page.body, as: UTF8.self).contains("cm=gone"))
    }
}

/// Scrapes an exporter started without ``ExporterUnderTest`` (here: from a configuration file).
struct RuntimeScraper {
    let port: UInt16

    func scrape() throws -> [String: Double] {
        let response = try HTTPTransport().send(method: "GET", url: "http://127.0.0.1:\(port)/metrics")
        return ExpositionSample.values(in: String(decoding: response.body, as: UTF8.self))
    }

    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, _ condition: ([String: Double]) -> Bool) throws
        -> [String: Double]
    {
        try waitForMetrics(what, timeout: timeout, scrape: scrape, condition)
    }
}
