import CCKMClient
import Foundation
import HTTPServer
import TestSupport
import Testing

@Suite("gzip answers from CipherTrust Manager")
struct GzipResponseTests {
    @Test(
        "the client asks for gzip and decodes a gzip-encoded listing",
        .enabled(if: SystemGzip.isInstalled))
    func gzipListing() throws {
        let page = Array(
            #"""
            {"skip":0,"limit":500,"total":1,"resources":[{"id":"a1","overall_status":"completed",
            "createdAt":"2026-01-01T00:00:00Z","completed_at":"2026-01-01T00:00:30.5Z"}]}
            """#.utf8)
        let compressedPage = try SystemGzip.compress(page)
        let server = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) { request in
            if request.path == "/api/v1/auth/tokens" {
                return .json(200, Array(#"{"jwt":"token-1","duration":300,"token_type":"Bearer"}"#.utf8))
            }
            guard (request.header("Accept-Encoding") ?? "").contains("gzip") else {
                return .text(406, "gzip was not offered")
            }
            return HTTPResponse(
                status: 200,
                headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
                body: compressedPage)
        }
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        // A client registers its password with the process-wide secret registry while it lives:
        // a short one ("p") would be cut out of every other test's error text meanwhile.
        let client = CMClient(
            baseURL: "http://127.0.0.1:\(server.port)",
            credentials: CMCredentials(username: "u", password: "gzip-test-password"),
            transport: HTTPTransport(),
            onRequest: { _, _ in })
        let result = try client.collectJobs(
            try #require(Listing.named("aws")), deadline: .now + .seconds(5))
        #expect(result.jobs.map(\.id) == ["a1"])
        #expect(result.jobs.first?.completedAt == 1_767_225_630.5)
    }
}
