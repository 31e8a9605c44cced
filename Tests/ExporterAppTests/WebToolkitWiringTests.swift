import CCKMClient
import Foundation
import TestSupport
import Testing

/// What the exporter adds to WebToolkit, through the built binary: its realm in the basic-auth
/// challenge, and the toolkit's count of refused credentials under the exporter's metric name.
@Suite(
    "The exporter's web surface on WebToolkit",
    .enabled(if: FileManager.default.isExecutableFile(atPath: exporterBinary.path)))
struct WebToolkitWiringTests {
    /// bcrypt (cost 4) of "quick pass".
    private static let hash = "$2y$04$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy"

    /// The status and body of `GET path` with these credentials (libcurl: a request whose
    /// credentials need bcrypt is answered later, on the bcrypt thread).
    private static func get(_ port: UInt16, _ path: String, user: String, password: String) throws -> (
        status: Int, body: String
    ) {
        let credentials = Data("\(user):\(password)".utf8).base64EncodedString()
        let answer = try HTTPTransport(settings: .init(requestTimeout: .seconds(5))).send(
            method: "GET", url: "http://127.0.0.1:\(port)\(path)",
            headers: ["Authorization: Basic \(credentials)"])
        return (answer.status, String(decoding: answer.body, as: UTF8.self))
    }

    @Test(
        "401 names the realm cckm_exporter; a refused login counts in cckm_exporter_http_auth_failures_total")
    func realmAndFailureCount() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("web-auth-\(getpid()).yml")
            .path
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("basic_auth_users:\n  quick: \"\(Self.hash)\"\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let exporter = try RunningExecutable(
            exporterBinary, ["--demo", "--web.listen-address=127.0.0.1:0", "--web.config.file=\(path)"])
        let port = try #require(exporter.listeningPort(), "no listening line in: \(exporter.standardError)")
        let challenge = try #require(
            RawSocket.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        #expect(challenge.hasPrefix("HTTP/1.1 401"), "\(challenge)")
        #expect(challenge.contains("WWW-Authenticate: Basic realm=\"cckm_exporter\", charset=\"UTF-8\"\r\n"))
        #expect(try Self.get(port, "/metrics", user: "quick", password: "wrong").status == 401)
        let metrics = try Self.get(port, "/metrics", user: "quick", password: "quick pass")
        #expect(metrics.status == 200)
        #expect(
            metrics.body.contains("\ncckm_exporter_http_auth_failures_total 1\n"),
            "\(metrics.body.prefix(2000))")
    }
}
