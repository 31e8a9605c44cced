import HTTPServer
import MetricsServer
import StatusPages
import WebToolkit

/// libFuzzer entry: request path handling as libmicrohttpd hands it over. The input's lines
/// are method, path, Accept, Accept-Encoding and Authorization; the request goes through the
/// web-config gate (basic auth on) and ``ExporterRoutes``. Every answer must be a valid
/// status, nothing but `/-/healthy` may pass without credentials, and protobuf is chosen only
/// for an `Accept` that names its delimited media type.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoutes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.count < 5 { lines.append("") }
    var headers: [String: String] = [:]
    if !lines[2].isEmpty { headers["accept"] = lines[2] }
    if !lines[3].isEmpty { headers["accept-encoding"] = lines[3] }
    if !lines[4].isEmpty { headers["authorization"] = lines[4] }
    let request = HTTPRequest(
        method: lines[0], path: lines[1], headers: headers, body: Array(lines.dropFirst(5).joined().utf8))
    if ContentNegotiation.format(accept: headers["accept"]) == .protobuf {
        let accept = headers["accept"]?.lowercased() ?? ""
        precondition(
            accept.contains("application/vnd.google.protobuf") && accept.contains("encoding=delimited"),
            "protobuf for \(accept)")
    }
    _ = ContentNegotiation.acceptsGzip(headers["accept-encoding"])
    let response = FuzzFixture.gate.handle(request)
    precondition((100..<600).contains(response.status), "status \(response.status)")
    if response.status == 200 && request.path != "/-/healthy" {
        precondition(headers["authorization"] != nil, "\(request.path) served without credentials")
    }
    return 0
}

enum FuzzFixture {
    struct Status: ExporterStatus {
        var isReady: Bool { true }
        func statusPage() -> StatusPage { StatusPage(version: "fuzz", startTime: 0, listings: []) }
        func reload() -> Result<Void, ReloadFailure> { .success(()) }
    }

    static let routes = ExporterRoutes(telemetryPath: "/metrics", cache: ScrapeCache(), status: Status())

    /// Basic auth with a cost-4 bcrypt hash of "quick pass" (htpasswd), so the parser of
    /// `Authorization` is fuzzed without bcrypt dominating every run.
    static let gate = WebConfigGate(
        config: WebConfig(
            basicAuthUsers: ["quick": "$2y$04$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy"],
            healthyWithoutAuth: true),
        next: { routes.handle($0) })
}
