import CCKMClient
import Foundation
import HTTPServer
import Logging
import Synchronization
import TestSupport
import Testing

@testable import ExporterApp
@testable import LineLogging

/// The whole exporter against a CM that echoes the login body or the `Authorization` header
/// into its error messages: no piece of the password or JWT on `/`, on `/debug`, in the log.
@Suite("Echoed secrets reach no sink")
struct EchoedSecretSinkTests {
    static let password = "Xy7-hunter2-Pq"
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaW5rcyJ9.c2lua3Rlc3Rfc2lnbmF0dXJl"

    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    /// Every 5-character piece of `secret` in `text`.
    static func pieces(of secret: String, in text: String) -> [String] {
        let characters = Array(secret)
        return (0...(characters.count - 5)).map { String(characters[$0..<($0 + 5)]) }.filter {
            text.contains($0)
        }
    }

    /// Runs the exporter against `cm` until `/debug` shows a failed poll; returns `/`, `/debug`
    /// and the log.
    private func sinks(_ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws -> [String:
        String]
    {
        let cm = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0), handler: handler)
        defer { cm.shutdown(gracePeriod: .milliseconds(100)) }
        let lines = Lines()
        let logger = Logger(label: "test") { _ in
            LineLogHandler(format: .logfmt, level: .debug) { line in lines.lines.withLock { $0.append(line) }
            }
        }
        let options = try ExporterOptions.parse([
            "--cm.url=http://127.0.0.1:\(cm.port)", "--cm.name=echo", "--cm.username=metrics",
            "--cm.clouds=aws", "--web.listen-address=127.0.0.1:0", "--poll.interval=1s", "--poll.timeout=1s",
        ])
        let settings = try RuntimeSettings(options: options, environment: ["CCKM_PASSWORD": Self.password])
        let runtime = try ExporterRuntime.start(settings, logger: logger)
        defer { runtime.stop() }
        let base = "http://127.0.0.1:\(runtime.port)"
        let transport = HTTPTransport()
        let get = { (path: String) in
            String(decoding: try transport.send(method: "GET", url: base + path).body, as: UTF8.self)
        }
        _ = try eventually(timeout: .seconds(20)) { try get("/debug").contains("result=failed") }
        return ["/": try get("/"), "/debug": try get("/debug"), "log": lines.all]
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        let object: [String: Any] = ["code": 5, "codeDesc": "NCERRBadRequest", "message": message]
        return .json(status, Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
    }

    @Test("the login body echoed across the 300-character cut", arguments: [0, 230, 234, 238])
    func loginBody(padding: Int) throws {
        let shown = try sinks { request in
            Self.error(
                400, String(repeating: "x", count: padding) + String(decoding: request.body, as: UTF8.self))
        }
        #expect(shown["/debug"]?.contains("NCERRBadRequest") == true, "the poll failed with CM's message")
        for (sink, text) in shown {
            #expect(
                Self.pieces(of: Self.password, in: text).isEmpty,
                "\(sink): \(Self.pieces(of: Self.password, in: text))")
        }
    }

    @Test("the Authorization header echoed across the cut", arguments: [0, 250, 260])
    func authorization(padding: Int) throws {
        let shown = try sinks { request in
            if request.path == "/api/v1/auth/tokens" {
                return .json(200, Array(#"{"jwt":"\#(Self.jwt)","duration":300}"#.utf8))
            }
            return Self.error(
                400, String(repeating: "y", count: padding) + (request.header("Authorization") ?? ""))
        }
        #expect(shown["/debug"]?.contains("NCERRBadRequest") == true, "the poll failed with CM's message")
        for (sink, text) in shown {
            #expect(
                Self.pieces(of: Self.jwt, in: text).isEmpty, "\(sink): \(Self.pieces(of: Self.jwt, in: text))"
            )
        }
    }
}
