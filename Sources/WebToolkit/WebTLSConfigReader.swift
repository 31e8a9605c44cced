import CCrypt
import StrictYAML
import Yams

/// Reads `tls_server_config`: certificate and key (inline or from files), client
/// authentication and SAN allow-list, protocol versions, cipher suites and curves. Refuses
/// what GnuTLS under libmicrohttpd cannot honour instead of silently ignoring it.
struct WebTLSConfigReader {
    let yaml: StrictYAMLReader
    let files: WebConfigFiles

    static let keys: Set<String> = [
        "cert", "key", "client_ca", "cert_file", "key_file", "client_ca_file", "client_auth_type",
        "min_version", "max_version", "cipher_suites", "prefer_server_cipher_suites",
        "curve_preferences", "client_allowed_sans",
    ]

    func read(_ section: YAMLField?) throws(WebConfigError) -> WebTLSConfig? {
        guard let section,
            let fields = try yaml.section(section.node, at: section.path, allowedKeys: Self.keys)
        else { return nil }
        let base = section.path
        guard let certificate = try pem(fields, inline: "cert", file: "cert_file", base: base) else {
            throw WebConfigError(field: "\(base).cert_file", problem: "is required for TLS")
        }
        guard let key = try pem(fields, inline: "key", file: "key_file", base: base) else {
            throw WebConfigError(field: "\(base).key_file", problem: "is required for TLS")
        }
        let keyCheck = ccrypt_check_key_pair(certificate, key)
        if keyCheck != 0 {
            throw WebConfigError(
                field: "\(base).key_file",
                problem:
                    "certificate and key do not load as a pair: \(String(cString: ccrypt_error_text(keyCheck)))"
            )
        }
        var tls = WebTLSConfig(certificatePEM: certificate, keyPEM: key)
        tls.certificateLacksDigitalSignature = ccrypt_certificate_cannot_sign(certificate) == 1
        if let clientAuth = fields["client_auth_type"] {
            let text = try yaml.string(clientAuth.node, at: clientAuth.path)
            guard let type = ClientAuthType(rawValue: text.isEmpty ? "NoClientCert" : text) else {
                let known = ClientAuthType.allCases.map(\.rawValue).joined(separator: ", ")
                throw WebConfigError(
                    field: clientAuth.path, problem: "must be one of \(known), got \"\(text)\"")
            }
            tls.clientAuth = type
        }
        var givesCAs = false
        for key in ["client_ca", "client_ca_file"] {
            if let field = fields[key], try !yaml.string(field.node, at: field.path).isEmpty {
                givesCAs = true
            }
        }
        if givesCAs && tls.clientAuth == .noClientCert {
            // Before reading the file, as Go: the policy is what is missing, whatever the file holds.
            throw WebConfigError(
                field: "\(base).client_auth_type",
                problem:
                    "client CAs are configured but client_auth_type is NoClientCert; set RequireAndVerifyClientCert"
            )
        }
        tls.clientCAPEM = try pem(fields, inline: "client_ca", file: "client_ca_file", base: base)
        tls.clientTrustPEM = try clientTrust(tls, base: base)
        tls.allowedSANs = try list(fields["client_allowed_sans"])
        if !tls.allowedSANs.isEmpty && tls.clientAuth == .noClientCert {
            throw WebConfigError(
                field: "\(base).client_allowed_sans",
                problem: "needs a client_auth_type that asks for a certificate, not NoClientCert")
        }
        tls.suites = try WebTLSSuites(
            cipherSuites: try list(fields["cipher_suites"]), curves: try list(fields["curve_preferences"]),
            cipherField: "\(base).cipher_suites", curveField: "\(base).curve_preferences")
        tls.minVersion = try version(fields["min_version"]) ?? .tls12
        tls.maxVersion = try version(fields["max_version"]) ?? .tls13
        if tls.minVersion > tls.maxVersion {
            throw WebConfigError(field: "\(base).max_version", problem: "is below min_version")
        }
        if tls.maxVersion == .tls13 && !tls.suites.offersTLS13 {
            throw WebConfigError(
                field: "\(base).cipher_suites",
                problem:
                    "lists only CBC suites, which leaves TLS 1.3 without a cipher here (GnuTLS's cipher list covers both versions); add a GCM or ChaCha20 suite, or set max_version: TLS12"
            )
        }
        if let prefer = fields["prefer_server_cipher_suites"] {
            tls.preferServerCipherSuites = try yaml.bool(prefer.node, at: prefer.path)
        }
        return tls
    }

    /// PEM text given inline (`cert`) or by file (`cert_file`); both at once is an error.
    private func pem(
        _ fields: [String: YAMLField], inline: String, file: String, base: String
    ) throws(WebConfigError) -> String? {
        let inlineText = try fields[inline].map { f throws(WebConfigError) in
            try yaml.string(f.node, at: f.path)
        }
        let fileName = try fields[file].map { f throws(WebConfigError) in try yaml.string(f.node, at: f.path)
        }
        switch (inlineText.flatMap { $0.isEmpty ? nil : $0 }, fileName.flatMap { $0.isEmpty ? nil : $0 }) {
        case (.some, .some):
            throw WebConfigError(field: "\(base).\(file)", problem: "give \(inline) or \(file), not both")
        case (.some(let text), nil):
            return text
        case (nil, .some(let name)):
            return try files.read(name, at: "\(base).\(file)")
        case (nil, nil):
            return nil
        }
    }

    /// The trust list libmicrohttpd gets (see ``WebTLSConfig/clientTrustPEM``).
    private func clientTrust(_ tls: WebTLSConfig, base: String) throws(WebConfigError) -> String? {
        if let clientCA = tls.clientCAPEM {
            if ccrypt_count_trusted(clientCA) <= 0 {
                throw WebConfigError(field: "\(base).client_ca_file", problem: "holds no PEM certificate")
            }
            return clientCA
        }
        switch tls.clientAuth {
        case .noClientCert:
            return nil
        case .requireAndVerifyClientCert:
            // Go would verify against the system's public CAs: anyone with a public certificate.
            throw WebConfigError(
                field: "\(base).client_ca_file",
                problem:
                    "is required with client_auth_type RequireAndVerifyClientCert (the CAs that issue your clients' certificates)"
            )
        case .verifyClientCertIfGiven:
            guard let store = SystemTrustStore.load() else {
                throw WebConfigError(
                    field: "\(base).client_ca_file",
                    problem:
                        "is required with client_auth_type VerifyClientCertIfGiven here: no system CA bundle found (SSL_CERT_FILE, /etc/ssl/certs/ca-certificates.crt, …)"
                )
            }
            return store.pem
        case .requestClientCert, .requireAnyClientCert:
            // The verdict is not used; any trust list makes libmicrohttpd ask for a certificate.
            return SystemTrustStore.load()?.pem ?? tls.certificatePEM
        }
    }

    private func list(_ field: YAMLField?) throws(WebConfigError) -> [String] {
        guard let field else { return [] }
        return try yaml.strings(field.node, at: field.path)
    }

    private func version(_ field: YAMLField?) throws(WebConfigError) -> TLSVersion? {
        guard let field else { return nil }
        let text = try yaml.string(field.node, at: field.path)
        if text.isEmpty { return nil }
        if text == "TLS10" || text == "TLS11" {
            throw WebConfigError(
                field: field.path, problem: "\(text) is not supported (insecure); use TLS12 or TLS13")
        }
        guard let version = TLSVersion(rawValue: text) else {
            throw WebConfigError(field: field.path, problem: "must be TLS12 or TLS13, got \"\(text)\"")
        }
        return version
    }
}
