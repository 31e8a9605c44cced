import CCKMClient
import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing
import WebToolkit

/// Real bcrypt hashes made by independent tools (htpasswd from apache2-utils, Python's
/// bcrypt), with their passwords. Cost 4 keeps tests fast; `prometheus` is cost 10 as in
/// exporter-toolkit's documentation.
enum BcryptFixture {
    static let prometheus = (
        user: "prometheus", password: "scrape-Pa55 w0rd",
        hash: "$2y$10$oeUIeJzbtvGEaRGr97bUs.LUhipN/mwbdESdU7ZcVPshaiADujNQ."
    )
    static let quick = (
        user: "quick", password: "quick pass",
        hash: "$2y$04$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy"
    )
    static let bPrefix = (
        user: "b", password: "b-prefix pass",
        hash: "$2b$04$V2Ew4lOD9RE5h6ELRwAFLuojOoUTVYsdN6KQdhrsTAX6HSoJ2yIr6"
    )
    static let aPrefix = (
        user: "a", password: "a-prefix pass",
        hash: "$2a$04$sTeCfLRTbIYVR1j8.MBGx.48VV7Z7SLw0p4BcIciKNK9gahQ0nxMi"
    )

    static func header(_ user: String, _ password: String) -> String {
        "Authorization: Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}

/// A monotonic clock that moves only when the test advances it.
final class ManualInstantClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    /// The clock as the `now:` parameter of the code under test takes it.
    var reader: @Sendable () -> ContinuousClock.Instant { { self.now } }

    func advance(by duration: Duration) { instant.withLock { $0 += duration } }
}

/// A ``WebConfigListener`` on 127.0.0.1:0 answering `served <path>`, and clients for it.
final class GatedServer: Sendable {
    let listener: WebConfigListener
    var port: UInt16 { listener.port }

    init(
        _ config: WebConfig, options: HTTPServerOptions = HTTPServerOptions(host: "127.0.0.1"),
        realm: String? = nil
    ) throws {
        listener = try WebConfigListener(
            options: options, config: config, reloadable: true, realm: realm,
            handler: { .text(200, "served \($0.path)\n") })
    }

    deinit { listener.shutdown(gracePeriod: .milliseconds(200)) }

    var plainURL: String { "http://127.0.0.1:\(port)" }
    var tlsURL: String { "https://127.0.0.1:\(port)" }

    /// GET `path` with libcurl; the status, or the transport error.
    func get(
        _ path: String, tls: HTTPTransport.Settings? = nil, headers: [String] = [],
        timeout plain: HTTPTransport.Settings = .init(requestTimeout: .seconds(5))
    ) -> Result<HTTPTransport.Response, HTTPTransport.TransportError> {
        let transport = HTTPTransport(settings: tls ?? plain)
        let base = tls == nil ? plainURL : tlsURL
        do {
            return .success(try transport.send(method: "GET", url: base + path, headers: headers))
        } catch {
            return .failure(error)
        }
    }

    func status(
        _ path: String, tls: HTTPTransport.Settings? = nil, headers: [String] = [],
        timeout plain: HTTPTransport.Settings = .init(requestTimeout: .seconds(5))
    ) -> Int? {
        try? get(path, tls: tls, headers: headers, timeout: plain).get().status
    }
}

@Suite("Test harness: the generated PKI is what the tests assume")
struct WebConfigHarnessTests {
    @Test("the client certificate verifies against the CA, the rogue one does not")
    func pkiShape() throws {
        let pki = try TestPKI.serverAndClients()
        #expect(
            try OpenSSL.run(["verify", "-CAfile", pki.path("ca.pem"), pki.path("client.pem")]).status == 0)
        #expect(
            try OpenSSL.run(["verify", "-CAfile", pki.path("ca.pem"), pki.path("rogue-client.pem")]).status
                != 0)
    }
}
