import CCKMExporter
import HTTPServer
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
}
