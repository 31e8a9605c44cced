import CCKMClient
import CCKMSimulator
import Foundation
import Testing

/// TLS trust as CMs need it (section 1: private CAs, explicit insecure mode), against the
/// simulator serving HTTPS with a certificate made by `openssl` for this test.
@Suite("TLS: private CA, insecure mode, and reason tls")
struct TLSTests {
    /// A self-signed certificate for 127.0.0.1, and the directory that holds it.
    private struct Certificate {
        let directory: URL
        var certificateFile: String { directory.appendingPathComponent("cert.pem").path }
        var keyFile: String { directory.appendingPathComponent("key.pem").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("cckmclient-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", keyFile, "-out", certificateFile,
            ]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            try #require(openssl.terminationStatus == 0, "openssl req failed")
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    private func httpsSimulator(_ certificate: Certificate) throws -> CCKMSimulator {
        let tls = SimulatorTLS(
            certificatePEM: try String(
                contentsOfFile: certificate.certificateFile, encoding: .utf8),
            keyPEM: try String(contentsOfFile: certificate.keyFile, encoding: .utf8))
        return try CCKMSimulator(
            configuration: SimulatorConfiguration(
                username: "metrics", password: Fixture.password, historyPerListing: 3,
                newJobIntervalSeconds: 0, tls: tls))
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
        let certificate = try Certificate()
        defer { certificate.remove() }
        let simulator = try httpsSimulator(certificate)
        defer { simulator.shutdown() }
        #expect(simulator.baseURL.hasPrefix("https://"))

        guard case .failure(let error) = list(simulator, .init()) else {
            Issue.record("a certificate no CA vouches for was accepted")
            return
        }
        #expect(error.reason == .tls, "\(error)")
        #expect(simulator.stats().apiRequests == 0)

        #expect(try list(simulator, .init(caFile: certificate.certificateFile)).get() == 3)
        #expect(try list(simulator, .init(insecureSkipVerify: true)).get() == 3)
    }
}
