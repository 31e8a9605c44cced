import CCKMClient
import ExporterConfig
import Foundation
import TestSupport
import Testing

@testable import ExporterApp

/// `--cm.client-cert-file`, `--cm.client-key-file`, `--cm.client-key-password-file` and
/// `--cm.auth-grant`: the single target's certificate login, errors naming the flag, and what
/// `--config.check` prints (a warning under 14 days to expiry).
@Suite("Client certificate flags and --config.check")
struct ClientCertificateFlagsTests {
    private func configuration(_ arguments: [String]) throws -> ExporterConfiguration {
        try RuntimeSettings(options: try ExporterOptions.parse(arguments), environment: [:]).configuration()
    }

    @Test("a certificate and key alone: client_credential, no username, the certificate in the summary")
    func certificateFlags() throws {
        let certs = try ClientCertificatePKI()
        let configuration = try configuration([
            "--cm.url=https://cm.example.com", "--cm.client-cert-file=\(certs.certificateFile)",
            "--cm.client-key-file=\(certs.keyFile)",
        ])
        let target = configuration.targets[0]
        #expect(target.auth.grant == .clientCredential)
        #expect(target.tls.client?.keyFile == certs.keyFile)
        let summary = ConfigurationSummary.text(configuration)
        #expect(summary.contains("grant client_credential"))
        #expect(summary.contains("client certificate serial \(try certs.serial("client1"))"))
        #expect(
            summary.contains(
                "warning: cm=cm.example.com client certificate \(certs.certificateFile) expires in 1 day(s)"))
        let notAfter = try #require(target.tls.client?.certificate.notAfter)
        #expect(!ConfigurationSummary.text(configuration, now: notAfter - 86_400 * 20).contains("warning"))
        let soon = ConfigurationSummary.text(configuration, now: notAfter - 86_400 * 13.5)
        #expect(
            soon.contains(
                "warning: cm=cm.example.com client certificate \(certs.certificateFile) expires in 13 day(s)")
        )
    }

    @Test(
        "errors name the flag",
        arguments: [
            (["--cm.client-cert-file=CERT"], "--cm.client-key-file: is required with --cm.client-cert-file"),
            (["--cm.client-key-file=KEY"], "--cm.client-cert-file: is required with --cm.client-key-file"),
            (
                ["--cm.auth-grant=user_certificate"],
                "--cm.auth-grant: user_certificate needs a client certificate"
            ),
            (
                ["--cm.client-cert-file=CERT", "--cm.client-key-file=OTHERKEY"],
                "--cm.client-key-file: \"OTHERKEY\" does not belong"
            ),
        ])
    func errorsNameTheFlag(arguments: [String], message: String) throws {
        let certs = try ClientCertificatePKI()
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "OTHERKEY", with: certs.pki.path("client2.key"))
                .replacingOccurrences(of: "CERT", with: certs.certificateFile)
                .replacingOccurrences(of: "KEY", with: certs.keyFile)
        }
        do {
            _ = try configuration(["--cm.url=https://cm.example.com"] + arguments.map(fill))
            Issue.record("accepted: \(arguments)")
        } catch {
            #expect("\(error)".hasPrefix(fill(message)), "\(error)")
        }
    }
}
