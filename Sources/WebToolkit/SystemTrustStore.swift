import Foundation

/// The system's CA certificates, found where Go's `crypto/x509` looks on Linux: the file
/// named by `SSL_CERT_FILE`, else the first of the distributions' bundle files that exists.
/// Client certificates are verified against it when `client_auth_type` asks for one without
/// `client_ca_file`, as Go does.
public enum SystemTrustStore {
    /// Go's `certFiles` for Linux, in its order.
    static let bundleFiles = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Gentoo, Arch
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL 6
        "/etc/ssl/ca-bundle.pem",  // openSUSE
        "/etc/pki/tls/cacert.pem",  // OpenELEC
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7
        "/etc/ssl/cert.pem",  // Alpine
    ]

    /// The PEM text and the file it came from, or nil when no bundle can be read.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (pem: String, file: String)?
    {
        let candidates = environment["SSL_CERT_FILE"].map { [$0] } ?? bundleFiles
        for file in candidates {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                text.contains("-----BEGIN CERTIFICATE-----")
            {
                return (text, file)
            }
        }
        return nil
    }
}
