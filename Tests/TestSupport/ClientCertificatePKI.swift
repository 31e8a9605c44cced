import Foundation

/// The certificates a client-certificate login needs, made with `openssl` for one test: a CA,
/// the CM's server certificate for 127.0.0.1 (`cm`), client certificates it signs (`client1`,
/// `client2` valid a day longer, an expired `expired`), one from another CA (`stranger`), and ``client(_:)`` paths
/// a test rotates in place.
public final class ClientCertificatePKI: Sendable {
    public let pki: TestPKI

    public init() throws {
        pki = try TestPKI()
        try pki.selfSigned("ca")
        try pki.issue(
            "cm", by: "ca", extensions: "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth")
        // client2 outlives client1 by a day: a rotation moves the expiry metric visibly.
        for (name, days) in [("client1", 2), ("client2", 3)] {
            try pki.issue(name, by: "ca", extensions: "extendedKeyUsage=clientAuth", days: days)
        }
        try pki.issue("expired", by: "ca", extensions: "extendedKeyUsage=clientAuth", days: -1)
        try pki.selfSigned("other-ca")
        try pki.issue("stranger", by: "other-ca", extensions: "extendedKeyUsage=clientAuth")
        try install("client1")
    }

    /// The client certificate and key files the exporter is configured with.
    public var certificateFile: String { pki.path("client.pem") }
    public var keyFile: String { pki.path("client.key") }

    /// Makes `name` the configured client certificate: both files replaced by a rename, as
    /// Kubernetes swaps a mounted Secret and cert-manager writes its files (`inPlace`: the
    /// same files rewritten instead, as a Vault agent may).
    public func install(_ name: String, inPlace: Bool = false) throws {
        for (from, to) in [("\(name).pem", "client.pem"), ("\(name).key", "client.key")] {
            let text = try pki.text(from)
            try text.write(toFile: pki.path(to), atomically: !inPlace, encoding: .utf8)
        }
    }

    /// The serial of `name`'s certificate, upper-case hex as `openssl x509 -serial` prints it.
    public func serial(_ name: String) throws -> String {
        let line = try OpenSSL.run(["x509", "-noout", "-serial", "-in", pki.path("\(name).pem")]).output
        return line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(
            of: "serial=", with: "")
    }

    /// `name.key` encrypted with `password` (AES-256, PKCS#8) as `name-encrypted.key`; its path.
    public func encryptedKey(_ name: String, password: String) throws -> String {
        try OpenSSL.require([
            "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pki.path("\(name).key"), "-out",
            pki.path("\(name)-encrypted.key"), "-passout", "pass:\(password)",
        ])
        return pki.path("\(name)-encrypted.key")
    }
}
