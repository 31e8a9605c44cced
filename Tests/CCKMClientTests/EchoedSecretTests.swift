import CCKMClient
import Foundation
import HTTPServer
import Testing

/// A CM (or a proxy) that echoes the login body or the `Authorization` header in its error
/// message must not get a single 5-character piece of a password, refresh token or JWT into
/// the exporter's error text, wherever the echo starts, however it is encoded.
@Suite("Echoed secrets never reach an error message")
struct EchoedSecretTests {
    static let password = "hunter2-Pa5"
    static let credentials = CMCredentials(username: "metrics", password: password)
    /// Every position around CM's 300-character cut (and a little past it).
    static let paddings = Array(0...310)

    private func error(_ cm: EchoingCM, _ credentials: CMCredentials = credentials) -> CMError? {
        let client = CMClient(
            baseURL: cm.baseURL, credentials: credentials, transport: HTTPTransport(),
            retryPolicy: RetryPolicy(maxAttempts: 1), onRequest: { _, _ in })
        return Fixture.failure { try client.collectJobs(Fixture.aws, deadline: Fixture.deadline()) }
    }

    private func expectNoLeak(_ secret: String, in error: CMError?, _ context: String) {
        guard let error else {
            Issue.record("no error (\(context))")
            return
        }
        let leaked = SecretLeaks.fragments(of: secret, in: error.description)
        #expect(leaked.isEmpty, "\(context): \(leaked) in \(error.description)")
    }

    @Test("the login body echoed after any padding shows no piece of the password")
    func loginBodyAtEveryCut() throws {
        for padding in Self.paddings {
            let cm = try EchoingCM(loginEcho: { request in
                String(repeating: "x", count: padding) + String(decoding: request.body, as: UTF8.self)
            })
            let error = error(cm)
            cm.shutdown()
            #expect(error?.reason == .auth)
            #expect(error?.message.contains("NCERRBadRequest") == true)
            if padding == 0 { #expect(error?.message.contains("<redacted>") == true, "in its place") }
            expectNoLeak(Self.password, in: error, "padding \(padding)")
        }
    }

    @Test("the Authorization header echoed after any padding shows no piece of the JWT")
    func authorizationAtEveryCut() throws {
        for padding in Self.paddings {
            let cm = try EchoingCM(
                loginEcho: nil,
                apiEcho: { request in
                    String(repeating: "y", count: padding) + "you sent "
                        + (request.header("Authorization") ?? "")
                })
            let error = error(cm)
            cm.shutdown()
            #expect(error?.reason == .http)
            #expect(
                error?.message.contains("HTTP 418 NCERRTeapot") == true, "\(error?.message ?? "no error")")
            expectNoLeak(cm.jwt, in: error, "padding \(padding)")
        }
    }

    @Test("the refresh token echoed in the login body shows nowhere")
    func refreshTokenEcho() throws {
        let token = "rt-7f3a9c2e41b84d0f9e6a2b1c"
        for padding in Self.paddings {
            let cm = try EchoingCM(loginEcho: { request in
                String(repeating: "z", count: padding) + String(decoding: request.body, as: UTF8.self)
            })
            let error = error(cm, CMCredentials(refreshToken: token))
            cm.shutdown()
            expectNoLeak(token, in: error, "padding \(padding)")
        }
    }

    /// A password with a quote, a backslash and a tab, echoed in the encodings servers and
    /// proxies use.
    static let awkwardPassword = "pa\"ss\\w0\trd!Q"
    static let encodings: [(String, @Sendable (String) -> String)] = [
        ("as sent (JSON)", { $0 }),
        ("tab as \\u0009", { $0.replacingOccurrences(of: "\\t", with: "\\u0009") }),
        (
            "every character as \\uXXXX",
            { body in
                body.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
            }
        ),
        (
            "JSON-escaped again",
            { body in
                body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            }
        ),
        ("percent-encoded", { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }),
        (
            "form-encoded",
            { body in
                (body.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union([" "])) ?? "")
                    .replacingOccurrences(of: " ", with: "+")
            }
        ),
        (
            "basic auth header",
            { _ in
                "Authorization: Basic " + Data("metrics:\(awkwardPassword)".utf8).base64EncodedString()
            }
        ),
        ("base64 body", { Data($0.utf8).base64EncodedString() }),
    ]

    @Test("escaped and encoded echoes of the password show no piece of it")
    func encodedEchoes() throws {
        let credentials = CMCredentials(username: "metrics", password: Self.awkwardPassword)
        for (name, encode) in Self.encodings {
            for padding in [0, 17, 150, 270, 285, 290, 295, 299] {
                let cm = try EchoingCM(loginEcho: { request in
                    String(repeating: "p", count: padding)
                        + encode(String(decoding: request.body, as: UTF8.self))
                })
                let error = error(cm, credentials)
                cm.shutdown()
                expectNoLeak(Self.awkwardPassword, in: error, "\(name), padding \(padding)")
            }
        }
    }

    @Test("the message still tells what CM said when nothing secret is in it")
    func harmlessMessageKept() throws {
        let cm = try EchoingCM(loginEcho: { _ in "user metrics is locked until 10:00" })
        defer { cm.shutdown() }
        #expect(error(cm)?.message.contains("\"user metrics is locked until 10:00\"") == true)
    }
}
