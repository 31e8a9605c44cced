import HTTPServer
import JobMetrics
import MetricsExposition
import StatusPages
import TestSupport
import Testing

@testable import MetricsServer

/// A ready exporter with an empty status page.
private struct EmptyStatus: ExporterStatus {
    var isReady: Bool { true }
    func statusPage() -> StatusPage { StatusPage(version: "test", startTime: 0, listings: []) }
    func reload() -> Result<Void, ReloadFailure> { .success(()) }
}

@Suite("/metrics response headers")
struct MetricsHeadersTests {
    private let routes = ExporterRoutes(
        telemetryPath: "/metrics", cache: ScrapeCache(), status: EmptyStatus())

    private func header(_ name: String, _ request: HTTPRequest) -> String? {
        routes.handle(request).headers.first { $0.name == name }?.value
    }

    @Test("the answer varies by Accept (format) and Accept-Encoding (gzip), and says so for caches")
    func vary() {
        #expect(header("Vary", HTTPRequest(method: "GET", path: "/metrics")) == "Accept, Accept-Encoding")
    }

    @Test("gzip is marked with Content-Encoding only when asked for")
    func contentEncoding() {
        let plain = HTTPRequest(method: "GET", path: "/metrics")
        let gzip = HTTPRequest(method: "GET", path: "/metrics", headers: ["Accept-Encoding": "gzip"])
        #expect(header("Content-Encoding", plain) == nil)
        #expect(header("Content-Encoding", gzip) == "gzip")
    }

    @Test(
        "a protobuf scrape gets the rendered snapshot, the server's counters and process_* as delimited messages, gzip alike"
    )
    func protobufBody() throws {
        let cache = ScrapeCache(processMetrics: {
            ProcessMetrics(
                cpuSecondsTotal: 1, residentMemoryBytes: 2, virtualMemoryBytes: 3, openFDs: 4, maxFDs: 5,
                startTimeSeconds: 6)
        })
        cache.publish(MetricsSnapshot(build: BuildInfo(version: "1", revision: "r", swiftVersion: "6")))
        let routes = ExporterRoutes(telemetryPath: "/metrics", cache: cache, status: EmptyStatus())
        let accept =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
        let response = routes.handle(
            HTTPRequest(method: "GET", path: "/metrics", headers: ["Accept": accept]))
        #expect(
            response.headers.first { $0.name == "Content-Type" }?.value
                == ExpositionFormat.protobuf.contentType)
        let (families, offset) = cache.rendered.bytes(.protobuf)
        let expected =
            Array(families[..<offset]) + ExpositionWriter.render(ServerMetrics(), format: .protobuf)
            + families[offset...]
            + ExpositionWriter.render(
                ProcessMetrics(
                    cpuSecondsTotal: 1, residentMemoryBytes: 2, virtualMemoryBytes: 3, openFDs: 4, maxFDs: 5,
                    startTimeSeconds: 6), format: .protobuf)
        #expect(response.body == expected)
        #expect(cache.rendered.protobuf.count > 0)
        let gzip = routes.handle(
            HTTPRequest(
                method: "GET", path: "/metrics", headers: ["Accept": accept, "Accept-Encoding": "gzip"]))
        #expect(gzip.headers.first { $0.name == "Content-Encoding" }?.value == "gzip")
        #expect(try SystemGzip.decompress(gzip.body) == expected)
    }
}
