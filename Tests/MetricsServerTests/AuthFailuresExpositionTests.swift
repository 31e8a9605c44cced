import JobMetrics
import MetricsExposition
import MetricsServer
import Testing
import WebToolkit

/// WebToolkit counts refused credentials; the exporter names and places the count in `/metrics`.
@Suite("Auth failures in /metrics")
struct AuthFailuresExpositionTests {
    @Test("the failure counter is in /metrics, between the cckm_exporter_build_info and cckm_jobs families")
    func counterIsExposed() throws {
        let failures = AuthFailureCounter()
        for _ in 0..<7 { failures.record(address: "127.0.0.1", throttled: false) }
        let cache = ScrapeCache(serverMetrics: { ServerMetrics(httpAuthFailures: failures.count) })
        cache.publish(
            MetricsSnapshot(
                listings: [], health: [], apiRequests: [:],
                build: BuildInfo(version: "1", revision: "r", swiftVersion: "6")))
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let text = String(decoding: cache.body(format: format, gzip: false).bytes, as: UTF8.self)
            let lines = text.split(separator: "\n").map(String.init)
            let sample =
                format == .openMetrics
                ? "cckm_exporter_http_auth_failures_total 7.0" : "cckm_exporter_http_auth_failures_total 7"
            let at = try #require(lines.firstIndex(of: sample), "\(text)")
            let build = try #require(lines.firstIndex { $0.hasPrefix("cckm_exporter_build_info{") })
            let process = try #require(lines.firstIndex { $0.hasPrefix("# HELP process_") })
            #expect(build < at && at < process)
            #expect(
                lines.contains(
                    "# TYPE \(format == .openMetrics ? "cckm_exporter_http_auth_failures" : "cckm_exporter_http_auth_failures_total") counter"
                ))
        }
    }
}
