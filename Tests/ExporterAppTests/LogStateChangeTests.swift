import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import ExporterApp
@testable import LineLogging

private final class CapturedLines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
}

@Suite("State changes are logged once, at info or warn", .timeLimit(.minutes(3)))
struct LogStateChangeTests {
    @Test("failing (again on a new reason), then recovered: one line each, never the password")
    func stateChangesOnce() throws {
        let password = "sim-secret-\(UInt32.random(in: 1...UInt32.max))"
        let simulator = try CCKMSimulator(
            configuration: SimulatorConfiguration(
                password: password, listings: ["aws"], historyPerListing: 5, newJobIntervalSeconds: 100_000))
        defer { simulator.shutdown() }
        // Queued: poll 1 gets 404 (http), polls 2 and 3 get 403 (auth), poll 4 succeeds.
        try simulator.injectFault(Fault(scope: .listings, count: 1, status: 404))
        try simulator.injectFault(Fault(scope: .listings, count: 2, status: 403))
        let captured = CapturedLines()
        let logger = Logger(label: "test") { _ in
            LineLogHandler(format: .logfmt, level: .info) { line in
                captured.lines.withLock { $0.append(line) }
            }
        }
        let options = try ExporterOptions.parse(
            [
                "--cm.url=\(simulator.baseURL)", "--cm.name=sim", "--cm.username=admin",
                "--web.listen-address=127.0.0.1:0", "--poll.interval=1s", "--poll.timeout=1s",
            ])
        let runtime = try ExporterRuntime.start(
            try RuntimeSettings(options: options, environment: ["CCKM_PASSWORD": password]), logger: logger)
        defer { runtime.stop() }

        func scrape() throws -> [String: Double] {
            let url = "http://127.0.0.1:\(runtime.port)/metrics"
            let body = try HTTPTransport().send(method: "GET", url: url).body
            return ExpositionSample.values(in: String(decoding: body, as: UTF8.self))
        }
        let lastSuccess = "cckm_last_poll_success_timestamp_seconds{cloud=\"aws\",cm=\"sim\"}"
        // The recovering poll is the first success: published once its timestamp shows.
        var seen = try waitForMetrics("the recovery", timeout: 20, scrape: scrape) {
            $0[lastSuccess] != nil && captured.all.contains { $0.contains("poll recovered") }
        }
        // Two more good polls (the first of them must log nothing; once the second has been
        // published, the first has certainly finished logging).
        for _ in 0..<2 {
            let previous = seen[lastSuccess] ?? 0
            seen = try waitForMetrics("another good poll", timeout: 10, scrape: scrape) {
                ($0[lastSuccess] ?? 0) > previous
            }
        }
        let states = captured.all.filter { $0.contains("cloud=aws") }
        #expect(states.count == 3, "\(states)")
        guard states.count == 3 else { return }
        #expect(
            states[0].contains(#"level=warn msg="poll failing" cm=sim cloud=aws err="#)
                && states[0].hasSuffix("reason=http"))
        #expect(
            states[1].contains(#"level=warn msg="poll failing" cm=sim cloud=aws err="#)
                && states[1].hasSuffix("reason=auth"))
        #expect(states[1].contains("HTTP 403"), "the err quotes the status and CM's message")
        #expect(states[2].contains(#"level=info msg="poll recovered" cm=sim cloud=aws after=auth"#))
        #expect(
            captured.all.allSatisfy { $0.hasPrefix("ts=") && $0.contains(" level=") && $0.contains(" msg=") })
        #expect(!captured.all.contains { $0.contains(password) })
    }
}
