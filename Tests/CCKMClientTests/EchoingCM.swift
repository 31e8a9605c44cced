import Foundation
import HTTPServer

/// A broken CipherTrust Manager (or a proxy in front of one) that echoes what it was sent
/// inside its error messages: the login body, the `Authorization` header, in whatever
/// encoding the test asks for (the message is a closure of the request), or hands the request
/// to the test. The simulator's ``Fault``s script everything else; an echo in eight encodings
/// at 311 paddings has no place in the simulator that `--demo` links into the product.
final class EchoingCM: Sendable {
    /// The JWT a login gets when ``loginEcho`` is nil.
    let jwt: String
    private let server: HTTPServer
    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    /// - Parameters:
    ///   - loginEcho: the `message` of a 400 answer to every login, made from the request;
    ///     nil to accept every login and hand out `jwt`.
    ///   - apiEcho: the `message` of a 418 answer to every other request.
    init(
        jwt: String = EchoingCM.sampleJWT,
        loginEcho: (@Sendable (HTTPRequest) -> String)?,
        apiEcho: @escaping @Sendable (HTTPRequest) -> String = { _ in "teapot" }
    ) throws {
        self.jwt = jwt
        server = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) { request in
            if request.path == "/api/v1/auth/tokens" {
                if let loginEcho { return Self.error(400, "NCERRBadRequest", loginEcho(request)) }
                return .json(200, Array(#"{"jwt":"\#(jwt)","duration":300}"#.utf8))
            }
            return Self.error(418, "NCERRTeapot", apiEcho(request))
        }
    }

    func shutdown() { server.shutdown(gracePeriod: .milliseconds(100)) }

    /// CM's error shape, the message encoded by a real JSON encoder (so quotes and control
    /// characters in it arrive escaped once more, as from a real server).
    static func error(_ status: Int, _ codeDesc: String, _ message: String) -> HTTPResponse {
        let object: [String: Any] = ["code": 5, "codeDesc": codeDesc, "message": message]
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return .json(status, Array(data))
    }

    /// A 62-character JWT-shaped token (header.payload.signature in base64url).
    static let sampleJWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZXRyaWNzIn0.Zk9xQ2sTq3vLw8Yp_"
}
