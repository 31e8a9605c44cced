import HTTPServer

/// `tls_server_config`, with PEM text read from the files.
public struct WebTLSConfig: Sendable, Equatable, CustomStringConvertible {
    public var certificatePEM: String
    /// The private key. Never printed (see ``description``).
    public var keyPEM: String
    /// `client_ca` / `client_ca_file`: CAs that client certificates must chain to.
    public var clientCAPEM: String?
    /// What libmicrohttpd is given to verify client certificates with, which also makes it ask
    /// for one: ``clientCAPEM``, or the system store when `client_auth_type` asks for a
    /// certificate without client CAs (Go verifies against the system roots then). Nil with
    /// `NoClientCert`.
    public var clientTrustPEM: String?
    public var clientAuth: ClientAuthType
    public var minVersion: TLSVersion
    public var maxVersion: TLSVersion
    /// Server picks the cipher (GnuTLS `%SERVER_PRECEDENCE`); exporter-toolkit's default.
    public var preferServerCipherSuites: Bool
    /// `cipher_suites` and `curve_preferences`.
    public var suites: WebTLSSuites
    /// `client_allowed_sans`: when non-empty, the client certificate must carry one of these
    /// DNS names, e-mail addresses, IP addresses or URIs.
    public var allowedSANs: [String]
    /// The certificate's key usage lacks digitalSignature. GnuTLS would then allow only RSA key
    /// exchange under TLS 1.2 (no ECDHE suite, no TLS 1.3); Go ignores the key usage of its
    /// own certificate, so this is served as Go does (`%DEBUG_ALLOW_KEY_USAGE_VIOLATIONS`) and
    /// logged at load.
    public var certificateLacksDigitalSignature = false

    public init(
        certificatePEM: String, keyPEM: String, clientCAPEM: String? = nil,
        clientAuth: ClientAuthType = .noClientCert, minVersion: TLSVersion = .tls12,
        maxVersion: TLSVersion = .tls13, preferServerCipherSuites: Bool = true,
        suites: WebTLSSuites = WebTLSSuites(), allowedSANs: [String] = [], clientTrustPEM: String? = nil
    ) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.clientCAPEM = clientCAPEM
        self.clientTrustPEM = clientAuth == .noClientCert ? nil : clientTrustPEM ?? clientCAPEM
        self.clientAuth = clientAuth
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.preferServerCipherSuites = preferServerCipherSuites
        self.suites = suites
        self.allowedSANs = allowedSANs
    }

    /// The GnuTLS priority string: the library's secure defaults, restricted to the versions.
    public var gnutlsPriorities: String {
        var text = "NORMAL:-VERS-ALL"
        for version in TLSVersion.allCases where version >= minVersion && version <= maxVersion {
            text += ":+\(version.gnutlsName)"
        }
        let items = suites.priorityItems
        if !items.isEmpty { text += ":" + items }
        if certificateLacksDigitalSignature { text += ":%DEBUG_ALLOW_KEY_USAGE_VIOLATIONS" }
        return preferServerCipherSuites ? text + ":%SERVER_PRECEDENCE" : text
    }

    public var description: String {
        var text =
            "client_auth_type=\(clientAuth.rawValue) versions=\(minVersion.rawValue)-\(maxVersion.rawValue)"
        if !suites.cipherSuites.isEmpty { text += " cipher_suites=\(suites.cipherSuites.count)" }
        if !suites.curves.isEmpty { text += " curves=\(suites.curves.joined(separator: ","))" }
        if !allowedSANs.isEmpty { text += " client_allowed_sans=\(allowedSANs.count)" }
        return text
    }

    /// Whether a request may proceed: the `client_auth_type` policy, then
    /// `client_allowed_sans` on the certificate presented (as Go checks every certificate a
    /// client sends when the list is set).
    public func admits(_ request: HTTPRequest) -> Bool {
        guard clientAuth.admits(request.clientCertificate) else { return false }
        if allowedSANs.isEmpty { return true }
        return request.clientCertificate != .none
            && request.clientCertificateSANs.contains { allowedSANs.contains($0) }
    }
}

/// exporter-toolkit's `client_auth_type` (Go's `tls.ClientAuthType` names).
public enum ClientAuthType: String, Sendable, CaseIterable {
    case noClientCert = "NoClientCert"
    case requestClientCert = "RequestClientCert"
    case requireAnyClientCert = "RequireAnyClientCert"
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// Whether a request with this certificate state may proceed.
    public func admits(_ certificate: HTTPRequest.ClientCertificate) -> Bool {
        switch self {
        case .noClientCert, .requestClientCert: return true
        case .requireAnyClientCert: return certificate != .none
        case .verifyClientCertIfGiven: return certificate != .unverified
        case .requireAndVerifyClientCert: return certificate == .verified
        }
    }
}

/// `min_version` / `max_version`. TLS 1.0 and 1.1 are refused at load: broken protocols.
public enum TLSVersion: String, Sendable, CaseIterable, Comparable {
    case tls12 = "TLS12"
    case tls13 = "TLS13"

    var gnutlsName: String { self == .tls12 ? "VERS-TLS1.2" : "VERS-TLS1.3" }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
