import CCKMClient
import CCKMSimulator
import ExporterConfig
import Foundation
import Logging
import TestSupport
import Testing

@testable import ExporterApp

/// A sharded exporter polls only its shard's CMs; a reload that changes the shard count stops
/// the CMs that leave at once (their series leave with them) and starts those that arrive with
/// a complete walk; a shard that owns no CM is ready and says so.
@Suite("Sharding", .timeLimit(.minutes(3)))
struct ShardingReloadTests {
    static let names = (0..<12).map { String(format: "cm-%02d", $0) }

    private func owned(shard: Int, of total: Int) -> Set<String> {
        Set(Self.names.filter { ShardAssignment(shard: shard, totalShards: total).owns($0) })
    }

    private func polled(_ metrics: [String: Double]) -> Set<String> {
        Set(
            Self.names.filter { name in
                metrics.keys.contains { $0.hasPrefix("cckm_up{") && $0.contains("cm=\"\(name)\"") }
            })
    }

    @Test(
        "shard 2 of 3 polls its CMs only; a reload to 4 shards stops those that left, back to 3 walks those that came"
    )
    func reshard() throws {
        // Shard 2 owns CMs at 3 shards and keeps some, loses some at 4 (pinned by the hash tests).
        let before = owned(shard: 2, of: 3)
        let after = owned(shard: 2, of: 4)
        #expect(!before.isEmpty && after.isSubset(of: before) && after != before)
        let fixture = try ShardedExporter(totalShards: 3, history: 5, flags: ["--shard=2"])
        defer { fixture.stop() }
        let exporter = RuntimeScraper(port: fixture.runtime.port)
        let first = try exporter.waitFor("every owned CM polled") { polled($0) == before }
        #expect(first["cckm_exporter_shard_ordinal{shard=\"2\"}"] == 2)
        #expect(first["cckm_exporter_total_shards"] == 3)
        #expect(first["cckm_exporter_targets{shard=\"2\",state=\"owned\"}"] == Double(before.count))
        #expect(
            first["cckm_exporter_targets{shard=\"2\",state=\"other_shards\"}"] == Double(12 - before.count))

        try fixture.reload(totalShards: 4)
        // Stopped at once: the first scrape after the reload no longer shows the CMs that left.
        let right = try exporter.scrape()
        #expect(polled(right).isSubset(of: after), "\(polled(right).subtracting(after)) still shown")
        #expect(
            !right.keys.contains { key in before.subtracting(after).contains { key.contains("cm=\"\($0)\"") }
            })
        #expect(right["cckm_exporter_total_shards"] == 4)
        #expect(right["cckm_exporter_targets{shard=\"2\",state=\"owned\"}"] == Double(after.count))
        try exporter.waitFor("the kept CMs polled on") { polled($0) == after }

        // Back to 3 shards: the CMs that come back start afresh with a complete walk.
        try fixture.reload(totalShards: 3)
        let back = try exporter.waitFor("the returning CMs walked") { metrics in
            polled(metrics) == before
                && before.subtracting(after).allSatisfy {
                    metrics.sum("cckm_sync_jobs", ["cm=\"\($0)\""]) == 5
                }
        }
        #expect(back["cckm_exporter_targets{shard=\"2\",state=\"owned\"}"] == Double(before.count))
    }

    @Test("a shard that owns no CM is ready, serves its own metrics and says so")
    func ownsNothing() throws {
        #expect(owned(shard: 0, of: 4).isEmpty)
        let fixture = try ShardedExporter(
            totalShards: 4, history: 1, flags: ["--shard.from-pod-name=cckm-exporter-0"])
        defer { fixture.stop() }
        let base = "http://127.0.0.1:\(fixture.runtime.port)"
        let transport = HTTPTransport()
        #expect(try transport.send(method: "GET", url: base + "/-/ready").status == 200)
        let metrics = try RuntimeScraper(port: fixture.runtime.port).scrape()
        #expect(metrics["cckm_exporter_targets{shard=\"0\",state=\"owned\"}"] == 0)
        #expect(metrics["cckm_exporter_targets{shard=\"0\",state=\"other_shards\"}"] == 12)
        #expect(polled(metrics).isEmpty)
        let page = try transport.send(method: "GET", url: base + "/")
        #expect(
            String(decoding: page.body, as: UTF8.self).contains("Shard 0 of 4 owns none of the 12 configured")
        )
        let debug = try transport.send(method: "GET", url: base + "/debug")
        #expect(String(decoding: debug.body, as: UTF8.self).contains("Shard 0 of 4 owns none"))
        #expect(fixture.simulator.stats().apiRequests == 0, "a shard that owns nothing sends CM nothing")
    }
}

/// One simulator, a configuration file naming ``ShardingReloadTests/names`` on it, and an
/// exporter started from the file with `flags`.
private final class ShardedExporter {
    let simulator: CCKMSimulator
    let runtime: ExporterRuntime
    private let directory: URL
    private let configFile: URL

    init(totalShards: Int, history: Int, flags: [String]) throws {
        simulator = try CCKMSimulator(
            configuration: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: history, newJobIntervalSeconds: 100_000, seed: 5))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("password")
        try "admin".write(to: passwordFile, atomically: true, encoding: .utf8)
        configFile = directory.appendingPathComponent("cckm.yml")
        try Self.configuration(totalShards: totalShards, url: simulator.baseURL).write(
            to: configFile, atomically: true, encoding: .utf8)
        let settings = try RuntimeSettings(
            options: try ExporterOptions.parse(
                ["--config.file=\(configFile.path)", "--web.listen-address=127.0.0.1:0"] + flags),
            environment: ["SIM_PASSWORD_FILE": passwordFile.path])
        runtime = try ExporterRuntime.start(
            settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Rewrites the file with `totalShards` and reloads it.
    func reload(totalShards: Int) throws {
        try Self.configuration(totalShards: totalShards, url: simulator.baseURL).write(
            to: configFile, atomically: true, encoding: .utf8)
        guard case .success = runtime.reload() else { throw ReloadRefused() }
    }

    func stop() {
        runtime.stop()
        simulator.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    private struct ReloadRefused: Error {}

    private static func configuration(totalShards: Int, url: String) -> String {
        var yaml = "poll_interval: 1s\npoll_timeout: 1s\ntotal_shards: \(totalShards)\ntargets:\n"
        for name in ShardingReloadTests.names {
            yaml += """
                  - name: \(name)
                    url: \(url)
                    clouds: [aws]
                    auth: {username: admin, password_file: "${SIM_PASSWORD_FILE}"}

                """
        }
        return yaml
    }
}
