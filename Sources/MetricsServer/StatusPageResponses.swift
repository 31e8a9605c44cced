import HTTPServer
import StatusPages

/// The status page (`/`, HTML), the debug page (`/debug`, plain text) and the job page
/// (`/job?id=`, HTML) as HTTP answers: the query read, the page rendered by `StatusPages`, the
/// status code and content type set. Kept apart from the routing table so ``ExporterRoutes``
/// stays a list of paths.
enum StatusPageResponses {
    static func html(_ page: StatusPage, telemetryPath: String, now: Double) -> HTTPResponse {
        htmlResponse(200, StatusPageHTML.render(page, telemetryPath: telemetryPath, now: now))
    }

    /// Every listing, or those of `?cm=` (and `&cloud=`); 404 when none matches.
    static func debugText(_ page: StatusPage, request: HTTPRequest, now: Double) -> HTTPResponse {
        let rendered = StatusPageText.debugPage(
            page, cm: request.queryValue("cm"), cloud: request.queryValue("cloud"), now: now)
        return .text(rendered.found ? 200 : 404, rendered.text)
    }

    /// The job of `?id=`; 400 without one, 404 (naming it) when no listing holds it.
    static func jobPage(_ page: StatusPage, request: HTTPRequest, now: Double) -> HTTPResponse {
        guard let id = request.queryValue("id"), !id.isEmpty else {
            return .text(400, "Which job? /job?id=<sync job id>\n")
        }
        let rendered = JobPageHTML.render(page, id: id, now: now)
        return htmlResponse(rendered.found ? 200 : 404, rendered.text)
    }

    private static func htmlResponse(_ status: Int, _ html: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(html.utf8))
    }
}
