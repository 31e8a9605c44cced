import HTTPServer

/// The responses of the status page (`/`, HTML) and the debug page (`/debug`, plain text),
/// kept apart from the routing table so ``ExporterRoutes`` stays a list of paths.
enum StatusPageResponses {
    static func html(_ page: StatusPage, telemetryPath: String, now: Double) -> HTTPResponse {
        let html = StatusPageHTML.render(page, telemetryPath: telemetryPath, now: now)
        return HTTPResponse(
            status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
            body: Array(html.utf8))
    }

    /// Every listing, or those of `?cm=` (and `&cloud=`); 404 when none matches.
    static func debugText(_ page: StatusPage, request: HTTPRequest, now: Double) -> HTTPResponse {
        let cm = request.queryValue("cm")
        let cloud = request.queryValue("cloud")
        let listings = page.listings.filter { listing in
            (cm == nil || listing.key.cm == cm) && (cloud == nil || listing.key.cloud == cloud)
        }
        if listings.isEmpty && (cm != nil || cloud != nil) {
            let asked = "cm=\(cm ?? "*") cloud=\(cloud ?? "*")"
            return .text(404, "No listing with \(StatusPageFormat.plain(asked))\n")
        }
        let shard = page.shard.map { "\($0.summary)\n" } ?? ""
        let header =
            "cckm_exporter \(StatusPageFormat.plain(page.version)): status of \(listings.count) listing(s)\n\(shard)\n"
        return .text(200, header + StatusPageText.render(listings, now: now))
    }
}
