import CCKMClient
import Foundation
import HTTPServer
import JobMetrics
import StatusPages
import TestSupport
import Testing
import TextFormats

@testable import MetricsServer

/// An exporter status with fixed content: the routes' seam, not a mock of the exporter.
private struct FixedStatus: ExporterStatus {
    var page: StatusPage
    var isReady: Bool { true }
    func statusPage() -> StatusPage { page }
    func reload() -> Result<Void, ReloadFailure> { .success(()) }
}

/// `ExporterRoutes` serving `page` on an ephemeral loopback port.
private final class RoutesServer {
    let server: HTTPServer
    let routes: ExporterRoutes
    init(_ page: StatusPage) throws {
        let routes = ExporterRoutes(
            telemetryPath: "/metrics", cache: ScrapeCache(), status: FixedStatus(page: page),
            now: { 10_000 })
        self.routes = routes
        server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0), handler: { routes.handle($0) })
    }
    deinit { server.shutdown() }

    func send(_ path: String, method: String = "GET") throws -> (status: Int, text: String) {
        let response = try HTTPTransport().send(method: method, url: "http://127.0.0.1:\(server.port)\(path)")
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// The Content-Type `path` is answered with (asked in-process: the client keeps no headers).
    func contentType(_ path: String) -> String? {
        routes.handle(HTTPRequest(method: "GET", path: path)).headers.first { $0.name == "Content-Type" }?
            .value
    }
}

@Suite("Status page routes over loopback")
struct StatusPageRoutesTests {
    @Test("/ is the escaped HTML status page")
    func statusPageIsHTML() throws {
        let server = try RoutesServer(hostileStatusPage())
        let page = try server.send("/")
        #expect(page.status == 200)
        #expect(server.contentType("/") == "text/html; charset=utf-8")
        #expect(page.text.contains("Recent failed, aborted or cancelled jobs (2)"))
        #expect(!page.text.contains("<script"))
    }

    @Test("/debug?cm=…&cloud=… is one listing as plain text; the query is percent-decoded")
    func debugTextOfOneListing() throws {
        let hostile = hostileStatusPage()
        var page = hostile
        var other = hostile.listings[0]
        other.key = ListingKey(cm: "other", cloud: "azure")
        page.listings.append(other)
        let server = try RoutesServer(page)
        let cm = PercentEncoding.escape(hostile.listings[0].key.cm)
        let text = try server.send("/debug?cm=\(cm)&cloud=aws")
        #expect(text.status == 200)
        #expect(server.contentType("/debug") == "text/plain; charset=utf-8")
        #expect(text.text.contains("status of 1 listing(s)"))
        #expect(text.text.contains("# cm=\(hostile.listings[0].key.cm) cloud=aws state=down"))
        #expect(text.text.contains("poll_errors_total: auth=2"))
        #expect(text.text.contains("  id=run-"))
        #expect(text.text.contains("regions_in_progress=123456789012/us-east-1,vault-"))
        #expect(text.text.contains("    123456789012/eu-west-1: AccessDenied:"))
        #expect(text.text.contains("result=failed (auth)"))
        #expect(text.text.contains("    ts=y level=debug msg=\"poll finished\""))
        #expect(!text.text.contains("cm=other"))

        let all = try server.send("/debug")
        #expect(all.text.contains("status of 2 listing(s)"))
        #expect(try server.send("/debug?cm=other").text.contains("# cm=other cloud=azure"))
    }

    @Test("/debug answers 404 for an unknown listing and 405 for POST")
    func debugErrors() throws {
        let server = try RoutesServer(hostileStatusPage())
        let missing = try server.send("/debug?cm=nope")
        #expect(missing.status == 404)
        #expect(missing.text == "No listing with cm=nope cloud=*\n")
        #expect(try server.send("/debug", method: "POST").status == 405)
    }
}
