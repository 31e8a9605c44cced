import CCKMClient
import Foundation
import HTTPServer
import MetricsServer
import Synchronization
import Testing

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

/// Certificates made with `openssl` for one test, in a temporary directory: a CA, a server
/// certificate for 127.0.0.1, a client certificate from that CA, and a client certificate
/// from an unrelated CA (which must not verify).
final class TestPKI: Sendable {
    let directory: String

    /// One PKI for the tests that only read it (openssl takes a while on a busy machine).
    static let shared: TestPKI = {
        do { return try TestPKI() } catch { fatalError("openssl could not make the test PKI: \(error)") }
    }()

    init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("cckm-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try authority("ca")
        try authority("rogue-ca")
        try issue("server", by: "ca", extensions: "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth")
        try issue("server2", by: "ca", extensions: "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth")
        try issue("client", by: "ca", extensions: "extendedKeyUsage=clientAuth")
        try issue("rogue-client", by: "rogue-ca", extensions: "extendedKeyUsage=clientAuth")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { "\(directory)/\(name)" }

    func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    private func authority(_ name: String) throws {
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-days", "2", "-subj", "/CN=\(name)", "-keyout", path("\(name).key"), "-out", path("\(name).pem"),
        ])
    }

    /// Issues `name.pem`/`name.key` (P-256) signed by `ca`, with openssl `extensions`.
    func issue(_ name: String, by ca: String, extensions: String) throws {
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-subj", "/CN=\(name)", "-keyout", path("\(name).key"), "-out", path("\(name).csr"),
        ])
        try write("\(name).ext", extensions + "\n")
        try Self.openssl([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"),
            "-days", "2", "-extfile", path("\(name).ext"), "-out", path("\(name).pem"),
        ])
    }

    /// Runs openssl; output goes to `output` (nil: discarded). Returns the exit status.
    @discardableResult
    static func openssl(_ arguments: [String], input: String? = nil, check: Bool = true) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardInput = pipe
        try process.run()
        if let input { pipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        if check && process.terminationStatus != 0 {
            throw HarnessError(description: "openssl \(arguments.joined(separator: " ")) failed")
        }
        return process.terminationStatus
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns its last value.
/// For waiting on something observable instead of sleeping for a guessed duration.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return true
}

/// A monotonic clock that moves only when the test advances it.
final class ManualInstantClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    /// The clock as the `now:` parameter of the code under test takes it.
    var reader: @Sendable () -> ContinuousClock.Instant { { self.now } }

    func advance(by duration: Duration) { instant.withLock { $0 += duration } }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
}

/// A ``WebConfigListener`` on 127.0.0.1:0 answering `served <path>`, and clients for it.
final class GatedServer: Sendable {
    let listener: WebConfigListener
    var port: UInt16 { listener.port }

    init(_ config: WebConfig, options: HTTPServerOptions = HTTPServerOptions(host: "127.0.0.1")) throws {
        listener = try WebConfigListener(
            options: options, config: config, reloadable: true,
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
        let pki = try TestPKI()
        #expect(
            try TestPKI.openssl(
                ["verify", "-CAfile", pki.path("ca.pem"), pki.path("client.pem")], check: false) == 0)
        #expect(
            try TestPKI.openssl(
                ["verify", "-CAfile", pki.path("ca.pem"), pki.path("rogue-client.pem")], check: false) != 0)
    }
}
