import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import Testing

@testable import ExporterApp

@Suite("The exporter's HTTP endpoints", .timeLimit(.minutes(3)))
struct HTTPEndpointTests {
    private func exporter() throws -> ExporterUnderTest {
        let exporter = try ExporterUnderTest(
            simulator: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 10, newJobIntervalSeconds: 100_000))
        try exporter.waitFor("first poll") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        return exporter
    }

    @Test("health, readiness, landing page, 404 and 405")
    func endpoints() throws {
        let exporter = try exporter()
        #expect(try exporter.get("/-/healthy").status == 200)
        #expect(try exporter.get("/-/ready").status == 200)
        #expect(try exporter.get("/nope").status == 404)
        let landing = try exporter.get("/")
        #expect(landing.status == 200)
        #expect(String(decoding: landing.body, as: UTF8.self).contains("<td>sim</td><td>aws</td>"))
        let post = try HTTPTransport().send(method: "POST", url: exporter.metricsURL)
        #expect(post.status == 405)
        let head = try HTTPTransport().send(method: "HEAD", url: exporter.metricsURL)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        let delete = try HTTPTransport().send(method: "DELETE", url: exporter.baseURL + "/-/reload")
        #expect(delete.status == 405)
    }

    @Test("OpenMetrics when Accept prefers it, ending in # EOF")
    func openMetrics() throws {
        let exporter = try exporter()
        let response = try exporter.get(
            "/metrics",
            headers: [
                "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
            ])
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.hasSuffix("# EOF\n"))
        #expect(text.contains("# TYPE cckm_sync_jobs_finished counter"))
    }

    @Test("POST /-/reload keeps counters of an unchanged target")
    func reloadKeepsCounters() throws {
        let exporter = try exporter()
        let before = try exporter.scrape()
        let reload = try HTTPTransport().send(method: "POST", url: exporter.baseURL + "/-/reload")
        #expect(reload.status == 200)
        let after = try exporter.scrape()
        #expect(after.sum("cckm_sync_jobs_finished_total") == before.sum("cckm_sync_jobs_finished_total"))
        #expect(
            after.sum("cckm_api_requests_total", ["endpoint=\"auth\""])
                == before.sum("cckm_api_requests_total", ["endpoint=\"auth\""]))
    }

    @Test("not ready before the first poll attempt ends")
    func notReadyBeforeFirstPoll() throws {
        let simulator = try CCKMSimulator(
            configuration: SimulatorConfiguration(listings: ["aws"], historyPerListing: 1))
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .all, count: 1, delayMilliseconds: 3000))
        let options = try ExporterOptions.parse(
            [
                "--cm.url=\(simulator.baseURL)", "--cm.username=admin", "--web.listen-address=127.0.0.1:0",
                "--poll.interval=10s", "--poll.timeout=10s",
            ])
        let runtime = try ExporterRuntime.start(
            try RuntimeSettings(options: options, environment: ["CCKM_PASSWORD": "admin"]),
            logger: .init(label: "test") { _ in SwiftLogNoOpLogHandler() })
        defer { runtime.stop() }
        let ready = try HTTPTransport().send(method: "GET", url: "http://127.0.0.1:\(runtime.port)/-/ready")
        #expect(ready.status == 503)
    }
}
