import CCKMClient
import ExporterConfig
import Foundation
import TestSupport
import Testing

/// `tls.client_cert_file` / `tls.client_key_file` / `tls.client_key_password_file` and
/// `auth.grant`: the default grant, the pair checked at load, errors naming the field.
@Suite("Configuration: client certificates and the login grant")
struct ClientCertificateConfigTests {
    private func parse(_ auth: String, _ tls: String) throws(ConfigurationError) -> TargetConfiguration {
        let yaml = """
            targets:
              - url: https://cm.example.com
                auth: {\(auth)}
                tls: {\(tls)}
            """
        return try ConfigurationLoader.parse(yaml: yaml, defaults: (.seconds(30), nil)).targets[0]
    }

    private func failure(_ auth: String, _ tls: String) -> ConfigurationError? {
        do {
            _ = try parse(auth, tls)
            return nil
        } catch {
            return error
        }
    }

    private func pair(_ certs: ClientCertificatePKI, _ name: String = "client1", key: String? = nil) -> String
    {
        "client_cert_file: \(certs.pki.path("\(name).pem")), client_key_file: \(key ?? certs.pki.path("\(name).key"))"
    }

    @Test("a certificate and no password or refresh token: client_credential, no username needed")
    func defaultsToClientCredential() throws {
        let certs = try ClientCertificatePKI()
        let target = try parse("", pair(certs))
        #expect(target.auth.grant == .clientCredential)
        #expect(target.auth.username == nil)
        #expect(target.tls.client?.certificate.serial == (try certs.serial("client1")))
        #expect(target.tls.client?.certificateFile == certs.pki.path("client1.pem"))
    }

    @Test("a certificate with a password keeps the password chain unless auth.grant says otherwise")
    func passwordWithCertificate() throws {
        let certs = try ClientCertificatePKI()
        let passwordFile = try certs.pki.write("password", "pw\n")
        let both = try parse("username: u, password_file: \(passwordFile)", pair(certs))
        #expect(both.auth.grant == nil)
        #expect(both.auth.passwordFile == passwordFile)
        let user = try parse("grant: user_certificate", pair(certs))
        #expect(user.auth.grant == .userCertificate)
    }

    @Test(
        "bad grants and pairs name their field",
        arguments: [
            ("grant: certificate", "", "targets[0].auth.grant", "must be one of"),
            ("grant: client_credential", "", "targets[0].auth.grant", "needs a client certificate"),
            ("grant: password", "PAIR", "targets[0].auth.grant", "needs a password file"),
            ("", "client_cert_file: CERT", "targets[0].tls.client_key_file", "is required"),
            ("", "client_key_file: KEY", "targets[0].tls.client_cert_file", "is required"),
            ("", "MISMATCH", "targets[0].tls.client_key_file", "does not belong"),
            ("", "EXPIRED", "targets[0].tls.client_cert_file", "expired at"),
            (
                "", "client_cert_file: KEY, client_key_file: KEY", "targets[0].tls.client_cert_file",
                "no PEM certificate"
            ),
            ("", "", "targets[0].auth.password_file", "no credentials"),
        ])
    func refused(auth: String, tls: String, field: String, problem: String) throws {
        let certs = try ClientCertificatePKI()
        let tls =
            tls
            .replacingOccurrences(of: "MISMATCH", with: pair(certs, key: certs.pki.path("client2.key")))
            .replacingOccurrences(of: "EXPIRED", with: pair(certs, "expired"))
            .replacingOccurrences(of: "PAIR", with: pair(certs))
            .replacingOccurrences(of: "CERT", with: certs.pki.path("client1.pem"))
            .replacingOccurrences(of: "KEY", with: certs.pki.path("client1.key"))
        let error = failure(auth, tls)
        #expect(error?.field == field, "\(String(describing: error))")
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }

    @Test(
        "an encrypted key: its password file decrypts it; none or a wrong one names the field, never the password"
    )
    func encryptedKey() throws {
        let certs = try ClientCertificatePKI()
        let key = try certs.encryptedKey("client1", password: "k3y-Pa55")
        let good = try certs.pki.write("keypass", "k3y-Pa55\n")
        let wrong = try certs.pki.write("wrongpass", "n0t-the-Pa55\n")
        let target = try parse("", pair(certs, key: key) + ", client_key_password_file: \(good)")
        #expect(target.tls.client?.keyPassword?.value == "k3y-Pa55")
        let missing = failure("", pair(certs, key: key))
        #expect(missing?.field == "targets[0].tls.client_key_file")
        #expect(
            missing?.problem.hasSuffix(
                "is encrypted: give its password with targets[0].tls.client_key_password_file")
                == true, "\(String(describing: missing))")
        let garbage = try certs.pki.write("garbage.key", "-----BEGIN PRIVATE KEY-----\nnot a key\n")
        #expect(failure("", pair(certs, key: garbage))?.problem.hasSuffix("holds no PEM private key") == true)
        let refused = failure("", pair(certs, key: key) + ", client_key_password_file: \(wrong)")
        #expect(refused?.field == "targets[0].tls.client_key_password_file")
        #expect(refused.map { !"\($0)".contains("n0t-the-Pa55") } == true)
    }
}
