import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import TestSupport
import Testing

@testable import ExporterApp

/// A simulator and an exporter polling it, both on ephemeral loopback ports.
final class ExporterUnderTest: Sendable {
    let simulator: CCKMSimulator
    let runtime: ExporterRuntime
    var metricsURL: String { "http://127.0.0.1:\(runtime.port)/metrics" }
    var baseURL: String { "http://127.0.0.1:\(runtime.port)" }

    init(
        simulator configuration: SimulatorConfiguration, clock: any SimulatorClock = SystemClock(),
        flags: [String] = []
    ) throws {
        var configuration = configuration
        configuration.password = "sim-password-\(UInt32.random(in: 0...UInt32.max))"
        simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        let options = try ExporterOptions.parse(
            [
                "--cm.url=\(simulator.baseURL)", "--cm.name=sim", "--cm.username=\(configuration.username)",
                "--web.listen-address=127.0.0.1:0", "--poll.interval=1s", "--poll.timeout=1s",
            ] + flags)
        let settings = try RuntimeSettings(
            options: options, environment: ["CCKM_PASSWORD": configuration.password])
        runtime = try ExporterRuntime.start(
            settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    deinit {
        runtime.stop()
        simulator.shutdown()
    }

    /// `GET` on the exporter.
    func get(_ path: String, headers: [String] = []) throws -> HTTPTransport.Response {
        try HTTPTransport().send(method: "GET", url: baseURL + path, headers: headers)
    }

    /// The current text exposition as series → value.
    func scrape() throws -> [String: Double] {
        ExpositionSample.values(in: String(decoding: try get("/metrics").body, as: UTF8.self))
    }

    /// Scrapes until `condition` holds (returns that scrape) or `timeout` passes (records an issue).
    @discardableResult
    func waitFor(
        _ what: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: ([String: Double]) -> Bool
    ) throws -> [String: Double] {
        try waitForMetrics(what, timeout: timeout, sourceLocation: sourceLocation, scrape: scrape, condition)
    }

    /// Every job of `listing`, read straight from the simulator with Foundation's JSON parser:
    /// an oracle independent of the exporter's decoder and client.
    func simulatorJobs(_ listing: String = "aws") throws -> [[String: Any]] {
        let transport = HTTPTransport()
        let login = try transport.send(
            method: "POST", url: simulator.baseURL + "/api/v1/auth/tokens",
            headers: ["Content-Type: application/json"],
            body: Array(
                #"{"grant_type":"password","username":"\#(simulator.configuration.username)","password":"\#(simulator.configuration.password)"}"#
                    .utf8))
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(login.body)) as? [String: Any])?["jwt"] as? String)
        let path = try #require(Listing.named(listing)).path
        // Paged: the simulator may cap `limit` (maxPageSize). Nothing moves between the pages of
        // a test that reads this oracle with time stopped.
        var jobs: [[String: Any]] = []
        while true {
            let page = try transport.send(
                method: "GET", url: simulator.baseURL + "/api/v1/cckm/\(path)?limit=1000&skip=\(jobs.count)",
                headers: ["Authorization: Bearer \(token)"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any])
            let resources = try #require(object["resources"] as? [[String: Any]])
            jobs += resources
            if resources.isEmpty || jobs.count >= (object["total"] as? Int ?? 0) { return jobs }
        }
    }
}

/// Calls `scrape` until `condition` holds (returns that scrape) or `timeout` seconds pass
/// (records an issue at `sourceLocation` and returns the last scrape).
@discardableResult
func waitForMetrics(
    _ what: String, timeout: Double, sourceLocation: SourceLocation = #_sourceLocation,
    scrape: () throws -> [String: Double], _ condition: ([String: Double]) -> Bool
) throws -> [String: Double] {
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    var last: [String: Double] = [:]
    while ContinuousClock.now < deadline {
        last = try scrape()
        if condition(last) { return last }
        Thread.sleep(forTimeInterval: 0.1)
    }
    Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
    return last
}

extension Dictionary where Key == String, Value == Double {
    /// Sum of the series of `name` whose label text contains every one of `matching`.
    func sum(_ name: String, _ matching: [String] = []) -> Double {
        filter { key, _ in
            (key.hasPrefix(name + "{") || key == name) && matching.allSatisfy { key.contains($0) }
        }.values.reduce(0, +)
    }
}
