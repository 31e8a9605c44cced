import Foundation
import HTTPServer
import StatusPages

/// The exporter's HTTP surface: `/metrics` (or the configured path), `/`, `/debug`, `/job`, `/-/healthy`,
/// `/-/ready`, `/-/reload`. `HEAD` works wherever `GET` does; other methods get 405 with
/// `Allow`; unknown paths 404. Called on libmicrohttpd's threads: reads only Sendable state.
public final class ExporterRoutes: Sendable {
    private let telemetryPath: String
    private let cache: ScrapeCache
    private let status: any ExporterStatus
    private let now: @Sendable () -> Double
    /// `/` and `/debug` rendered at most once a second (see ``StatusPageCache``).
    private let pages = StatusPageCache()

    public init(
        telemetryPath: String, cache: ScrapeCache, status: any ExporterStatus,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.telemetryPath = telemetryPath
        self.cache = cache
        self.status = status
        self.now = now
    }

    /// Answers one request.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        var response = route(request)
        response.headers.append(("X-Content-Type-Options", "nosniff"))
        return response
    }

    private func route(_ request: HTTPRequest) -> HTTPResponse {
        if request.bodyTooLarge { return .text(413, "Request body too large\n") }
        let readMethods: Set<String> = ["GET", "HEAD"]
        switch request.path {
        case telemetryPath:
            return readMethods.contains(request.method) ? metrics(request) : notAllowed("GET, HEAD")
        case "/":
            return readMethods.contains(request.method) ? landing() : notAllowed("GET, HEAD")
        case "/debug":
            guard readMethods.contains(request.method) else { return notAllowed("GET, HEAD") }
            return debugText(request)
        case "/job":
            guard readMethods.contains(request.method) else { return notAllowed("GET, HEAD") }
            return jobPage(request)
        case "/-/healthy":
            return readMethods.contains(request.method) ? .text(200, "Healthy\n") : notAllowed("GET, HEAD")
        case "/-/ready":
            guard readMethods.contains(request.method) else { return notAllowed("GET, HEAD") }
            return status.isReady
                ? .text(200, "Ready\n") : .text(503, "Not ready: first polls still running\n")
        case "/-/reload":
            guard request.method == "POST" || request.method == "PUT" else { return notAllowed("POST, PUT") }
            switch status.reload() {
            case .success: return .text(200, "Configuration reloaded\n")
            case .failure(let failure):
                return .text(500, "Reload failed, previous configuration kept: \(failure.message)\n")
            }
        default:
            return .text(404, "Not found. Metrics are at \(telemetryPath)\n")
        }
    }

    private func metrics(_ request: HTTPRequest) -> HTTPResponse {
        let format = ContentNegotiation.format(accept: request.header("Accept"))
        let gzip = ContentNegotiation.acceptsGzip(request.header("Accept-Encoding"))
        let body = cache.body(format: format, gzip: gzip)
        var headers: [(name: String, value: String)] = [
            ("Content-Type", format.contentType), ("Vary", "Accept, Accept-Encoding"),
        ]
        if body.gzip { headers.append(("Content-Encoding", "gzip")) }
        return HTTPResponse(status: 200, headers: headers, body: body.bytes)
    }

    private func landing() -> HTTPResponse {
        let now = now()
        return pages.response(key: "/", now: now) {
            StatusPageResponses.html(status.statusPage(), telemetryPath: telemetryPath, now: now)
        }
    }

    private func debugText(_ request: HTTPRequest) -> HTTPResponse {
        let now = now()
        let key = ["/debug"] + ["cm", "cloud"].map { request.queryValue($0).map { "=" + $0 } ?? "-" }
        return pages.response(key: key.joined(separator: "\u{0}"), now: now) {
            StatusPageResponses.debugText(status.statusPage(), request: request, now: now)
        }
    }

    private func jobPage(_ request: HTTPRequest) -> HTTPResponse {
        let now = now()
        let key = "/job\u{0}" + (request.queryValue("id") ?? "-")
        return pages.response(key: key, now: now) {
            StatusPageResponses.jobPage(status.statusPage(), request: request, now: now)
        }
    }

    private func notAllowed(_ allow: String) -> HTTPResponse {
        var response = HTTPResponse.text(405, "Method not allowed\n")
        response.headers.append(("Allow", allow))
        return response
    }
}
