import CCrypt
import Yams

/// Reads `tls_server_config`: certificate and key (inline or from files), client
/// authentication, protocol versions. Refuses what GnuTLS under libmicrohttpd cannot honour
/// (Go cipher-suite and curve names, SAN allow-lists) instead of silently ignoring it.
struct WebTLSConfigReader {
    let yaml: WebConfigYAML
    let files: WebConfigFiles

    static let keys: Set<String> = [
        "cert", "key", "client_ca", "cert_file", "key_file", "client_ca_file", "client_auth_type",
        "min_version", "max_version", "cipher_suites", "prefer_server_cipher_suites",
        "curve_preferences", "client_allowed_sans",
    ]

    func read(_ section: (node: Node, path: String)?) throws(WebConfigError) -> WebTLSConfig? {
        guard let section,
            let fields = try yaml.mapping(section.node, at: section.path, allowedKeys: Self.keys)
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
        try refuseUnsupported(fields)
        if let clientAuth = fields["client_auth_type"] {
            let text = try yaml.string(clientAuth.node, at: clientAuth.path)
            guard let type = ClientAuthType(rawValue: text.isEmpty ? "NoClientCert" : text) else {
                let known = ClientAuthType.allCases.map(\.rawValue).joined(separator: ", ")
                throw WebConfigError(
                    field: clientAuth.path, problem: "must be one of \(known), got \"\(text)\"")
            }
            tls.clientAuth = type
        }
        tls.clientCAPEM = try pem(fields, inline: "client_ca", file: "client_ca_file", base: base)
        try checkClientAuthority(tls, base: base)
        tls.minVersion = try version(fields["min_version"]) ?? .tls12
        tls.maxVersion = try version(fields["max_version"]) ?? .tls13
        if tls.minVersion > tls.maxVersion {
            throw WebConfigError(field: "\(base).max_version", problem: "is below min_version")
        }
        if let prefer = fields["prefer_server_cipher_suites"] {
            tls.preferServerCipherSuites = try yaml.bool(prefer.node, at: prefer.path)
        }
        return tls
    }

    /// PEM text given inline (`cert`) or by file (`cert_file`); both at once is an error.
    private func pem(
        _ fields: [String: (node: Node, path: String)], inline: String, file: String, base: String
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

    private func checkClientAuthority(_ tls: WebTLSConfig, base: String) throws(WebConfigError) {
        guard let clientCA = tls.clientCAPEM else {
            if tls.clientAuth != .noClientCert {
                // libmicrohttpd asks for a client certificate only when it has CAs to offer.
                throw WebConfigError(
                    field: "\(base).client_ca_file",
                    problem: "is required with client_auth_type \(tls.clientAuth.rawValue)")
            }
            return
        }
        if tls.clientAuth == .noClientCert {
            throw WebConfigError(
                field: "\(base).client_auth_type",
                problem:
                    "client CAs are configured but client_auth_type is NoClientCert; set RequireAndVerifyClientCert"
            )
        }
        if ccrypt_count_trusted(clientCA) <= 0 {
            throw WebConfigError(field: "\(base).client_ca_file", problem: "holds no PEM certificate")
        }
    }

    private func version(_ field: (node: Node, path: String)?) throws(WebConfigError) -> TLSVersion? {
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

    private func refuseUnsupported(_ fields: [String: (node: Node, path: String)]) throws(WebConfigError) {
        let reasons = [
            "cipher_suites":
                "Go cipher-suite names do not apply to GnuTLS, which uses its secure defaults; remove the list",
            "curve_preferences": "GnuTLS chooses curves from its secure defaults; remove the list",
            "client_allowed_sans":
                "SAN allow-lists are not supported; issue client certificates from a dedicated CA",
        ]
        for (key, reason) in reasons.sorted(by: { $0.key < $1.key }) {
            guard let field = fields[key] else { continue }
            if try !yaml.strings(field.node, at: field.path).isEmpty {
                throw WebConfigError(field: field.path, problem: "is not supported: \(reason)")
            }
        }
    }
}
