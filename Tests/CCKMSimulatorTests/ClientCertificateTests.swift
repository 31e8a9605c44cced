import CCKMClient
import CCKMSimulator
import TestSupport
import Testing
import WebToolkit

/// The simulator serves TLS through WebToolkit as the exporter does: the same
/// `tls_server_config`, so `client_auth_type` and `client_ca_file` ask its clients for a
/// certificate and refuse those that do not verify.
@Suite("Simulator: TLS and client certificates from a web configuration")
struct ClientCertificateTests {
    private let pki = TestPKI.shared

    private func simulator(_ yaml: String) throws -> CCKMSimulator {
        let web = try WebConfigLoader.parse(yaml, directory: pki.directory)
        return try CCKMSimulator(configuration: SimulatorConfiguration(historyPerListing: 1, web: web))
    }

    /// The status of `GET /sim` with `certificate` (a name in the PKI) or none; 0 when no answer.
    private func status(_ simulator: CCKMSimulator, certificate: String?) -> Int {
        let transport = HTTPTransport(
            settings: HTTPTransport.Settings(
                caFile: pki.path("ca.pem"), requestTimeout: .seconds(5),
                clientCertificateFile: certificate.map { pki.path("\($0).pem") },
                clientKeyFile: certificate.map { pki.path("\($0).key") }))
        return (try? transport.send(method: "GET", url: simulator.baseURL + "/sim", headers: []).status) ?? 0
    }

    @Test("RequireAndVerifyClientCert: no certificate and one from another CA get 403, the CA's gets through")
    func requireAndVerify() throws {
        let simulator = try simulator(
            """
            tls_server_config:
              cert_file: server.pem
              key_file: server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.pem
            """)
        defer { simulator.shutdown() }
        #expect(simulator.baseURL.hasPrefix("https://"))
        #expect(
            [nil, "rogue-client", "client"].map { status(simulator, certificate: $0) } == [403, 403, 200])
    }

    @Test("without client_auth_type any client gets through; plain HTTP without tls_server_config")
    func noClientCertificate() throws {
        let tls = try simulator("tls_server_config: {cert_file: server.pem, key_file: server.key}")
        defer { tls.shutdown() }
        #expect([nil, "client"].map { status(tls, certificate: $0) } == [200, 200])
        let plain = try simulator("")
        defer { plain.shutdown() }
        #expect(plain.baseURL.hasPrefix("http://"))
    }

    @Test("basic_auth_users is refused: CM's clients send bearer tokens")
    func basicAuthRefused() throws {
        #expect(throws: SimulatorError.self) {
            try simulator(
                "basic_auth_users: {a: \"$2y$04$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy\"}")
        }
    }
}
