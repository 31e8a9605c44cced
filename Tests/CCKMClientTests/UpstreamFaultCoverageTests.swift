import CCKMClient
import CCKMSimulator
import Foundation
import TestSupport
import Testing
import WebToolkit

/// Upstream faults of issue 4 that the other client tests leave out: an expired certificate,
/// a certificate for another host, and a body that stops halfway (stalled or cut).
@Suite("Upstream faults: expired and misnamed certificates, bodies cut or stalled mid-way")
struct UpstreamFaultCoverageTests {
    /// `name` issued by the CA of `pki` for `subjectAltName`, valid for `days` (negative:
    /// already expired).
    private func issue(_ name: String, subjectAltName: String, days: Int, from pki: TestPKI) throws
        -> WebConfig
    {
        try pki.issue(name, by: "ca", extensions: "subjectAltName=\(subjectAltName)", days: days)
        return try pki.simulatorWeb(name)
    }

    /// A PKI with a P-256 CA `ca`, whose certificates the tests trust.
    private func privateCA() throws -> TestPKI {
        let pki = try TestPKI()
        try pki.selfSigned("ca", subject: "/CN=test-ca")
        return pki
    }

    private func pollError(_ web: WebConfig, caFile: String) throws -> (CMError?, Int) {
        let simulator = try CCKMSimulator(
            configuration: SimulatorConfiguration(
                username: "metrics", password: Fixture.password, historyPerListing: 3,
                newJobIntervalSeconds: 0, web: web))
        defer { simulator.shutdown() }
        let client = CMClient(
            baseURL: simulator.baseURL, credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(settings: .init(caFile: caFile)), onRequest: { _, _ in })
        let error = Fixture.failure { try client.collectJobs(Fixture.aws, deadline: Fixture.deadline()) }
        return (error, simulator.stats().apiRequests)
    }

    @Test("an expired certificate from a trusted CA is reason tls, and nothing is sent")
    func expiredCertificate() throws {
        let authority = try privateCA()
        let (error, requests) = try pollError(
            try issue("expired", subjectAltName: "IP:127.0.0.1", days: -1, from: authority),
            caFile: authority.path("ca.pem")
        )
        #expect(error?.reason == .tls, "\(String(describing: error))")
        #expect(requests == 0)
        // The same CA with a valid certificate works: it is the expiry that was refused.
        let (valid, _) = try pollError(
            try issue("valid", subjectAltName: "IP:127.0.0.1", days: 2, from: authority),
            caFile: authority.path("ca.pem"))
        #expect(valid == nil)
    }

    @Test("a certificate for another host is reason tls")
    func otherHostName() throws {
        let authority = try privateCA()
        let (error, requests) = try pollError(
            try issue("other", subjectAltName: "DNS:cm.example.com", days: 2, from: authority),
            caFile: authority.path("ca.pem"))
        #expect(error?.reason == .tls, "\(String(describing: error))")
        #expect(requests == 0)
    }

    @Test("a listing body that stalls halfway is reason timeout, within the deadline")
    func stalledMidBody() throws {
        let server = try HalfBodyServer(afterPartialBody: .stall)
        defer { server.stop() }
        let transport = HTTPTransport(settings: .init(requestTimeout: .milliseconds(500)))
        let client = CMClient(
            baseURL: server.baseURL, credentials: Fixture.passwordCredentials, transport: transport,
            retryPolicy: Fixture.quickRetries, onRequest: { _, _ in })
        let started = ContinuousClock.now
        let error = Fixture.failure { try client.collectJobs(Fixture.aws, deadline: Fixture.deadline(2)) }
        #expect(error?.reason == .timeout, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .milliseconds(2500))
    }

    @Test("a listing body cut off by a closed connection is a failure with a reason, never jobs")
    func cutMidBody() throws {
        let server = try HalfBodyServer(afterPartialBody: .close)
        defer { server.stop() }
        let client = CMClient(
            baseURL: server.baseURL, credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(settings: .init(requestTimeout: .seconds(2))),
            retryPolicy: Fixture.quickRetries, onRequest: { _, _ in })
        let error = Fixture.failure { try client.collectJobs(Fixture.aws, deadline: Fixture.deadline(3)) }
        #expect(error?.reason == .connect, "\(String(describing: error))")
    }
}

/// A raw TCP server that answers logins properly and listings with headers announcing a
/// 100 kB body, of which it sends 20 bytes before stalling or closing: what libmicrohttpd
/// (which always sends whole buffers) cannot script.
private final class HalfBodyServer: @unchecked Sendable {
    // @unchecked: both properties are set once in init and never change.
    enum Ending { case stall, close }
    private let listener: Int32
    let baseURL: String

    init(afterPartialBody ending: Ending) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound, "cannot listen on 127.0.0.1")
        baseURL = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/"
        self.listener = listener
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                Thread.detachNewThread { self.serve(connection, ending) }
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ connection: Int32, _ ending: Ending) {
        defer { close(connection) }
        while let request = readRequest(connection) {
            if request.contains("/auth/tokens") {
                let body = #"{"jwt":"header.payload.signature","duration":300,"token_type":"Bearer"}"#
                write(
                    connection,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                )
                continue
            }
            write(
                connection,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"skip\":0,\"total\":9,"
            )
            if ending == .stall { Thread.sleep(forTimeInterval: 3) }
            return
        }
    }

    /// Reads one request (headers and a Content-Length body); nil at end of stream.
    private func readRequest(_ connection: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let length =
                    text[..<end.lowerBound].split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length {
                    return text
                }
            }
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            received += buffer[0..<n]
        }
    }

    private func write(_ connection: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
