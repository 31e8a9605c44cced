import CCKMClient
import CCKMSimulator
import Foundation
import TestSupport
import Testing
import WebToolkit

/// TLS trust as CMs need it (section 1: private CAs, explicit insecure mode), against the
/// simulator serving HTTPS with a certificate made by `openssl` for this test.
@Suite("TLS: private CA, insecure mode, and reason tls")
struct TLSTests {
    /// `cert.pem`/`cert.key`: a self-signed RSA certificate for 127.0.0.1.
    private func selfSigned() throws -> TestPKI {
        let pki = try TestPKI()
        try pki.selfSigned(
            "cert", key: .rsa2048, subject: "/CN=127.0.0.1", extensions: ["subjectAltName=IP:127.0.0.1"])
        return pki
    }

    private func httpsSimulator(_ pki: TestPKI) throws -> CCKMSimulator {
        try CCKMSimulator(
            configuration: SimulatorConfiguration(
                username: "metrics", password: Fixture.password, historyPerListing: 3,
                newJobIntervalSeconds: 0, web: try pki.simulatorWeb("cert")))
    }

    private func list(
        _ simulator: CCKMSimulator, _ settings: HTTPTransport.Settings
    ) -> Result<Int, CMError> {
        let client = CMClient(
            baseURL: simulator.baseURL, credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(settings: settings), onRequest: { _, _ in })
        do {
            return .success(
                try client.collectJobs(Fixture.aws, deadline: Fixture.deadline()).jobs.count)
        } catch {
            return .failure(error)
        }
    }

    @Test("an unknown CA is reason tls; the CA file or insecure mode lets the poll through")
    func privateCA() throws {
        let pki = try selfSigned()
        let simulator = try httpsSimulator(pki)
        defer { simulator.shutdown() }
        #expect(simulator.baseURL.hasPrefix("https://"))

        guard case .failure(let error) = list(simulator, .init()) else {
            Issue.record("a certificate no CA vouches for was accepted")
            return
        }
        #expect(error.reason == .tls, "\(error)")
        #expect(simulator.stats().apiRequests == 0)

        #expect(try list(simulator, .init(caFile: pki.path("cert.pem"))).get() == 3)
        #expect(try list(simulator, .init(insecureSkipVerify: true)).get() == 3)
    }
}

extension TestPKI {
    /// A web configuration serving `name.pem` and its key, as the simulator takes it.
    func simulatorWeb(_ name: String) throws -> WebConfig {
        WebConfig(tls: WebTLSConfig(certificatePEM: try text("\(name).pem"), keyPEM: try text("\(name).key")))
    }
}
