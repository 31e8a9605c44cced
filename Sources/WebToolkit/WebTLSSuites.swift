/// exporter-toolkit's `cipher_suites` and `curve_preferences` (Go's `crypto/tls` names)
/// turned into GnuTLS priority items.
///
/// GnuTLS has no item per cipher suite: a TLS 1.2 suite is allowed when its key exchange
/// (`+ECDHE-RSA`), its cipher (`+AES-128-GCM`) and its MAC (`+AEAD`) are all enabled. A list
/// is therefore accepted only when the combinations of its parts are exactly the listed
/// suites; otherwise the error names the suite GnuTLS would add. GnuTLS's cipher items also
/// govern TLS 1.3, so TLS 1.3 offers the AEAD ciphers of the listed suites (Go keeps its
/// three TLS 1.3 suites whatever the list says).
public struct WebTLSSuites: Sendable, Equatable {
    /// Go's TLS 1.2 suite names (those of `tls.CipherSuites()`) as key exchange × cipher.
    static let tls12: [String: (kx: String, cipher: String)] = [
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA": ("ECDHE-ECDSA", "AES-128-CBC"),
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA": ("ECDHE-ECDSA", "AES-256-CBC"),
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": ("ECDHE-RSA", "AES-128-CBC"),
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": ("ECDHE-RSA", "AES-256-CBC"),
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": ("ECDHE-ECDSA", "AES-128-GCM"),
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": ("ECDHE-ECDSA", "AES-256-GCM"),
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": ("ECDHE-RSA", "AES-128-GCM"),
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": ("ECDHE-RSA", "AES-256-GCM"),
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": ("ECDHE-ECDSA", "CHACHA20-POLY1305"),
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": ("ECDHE-RSA", "CHACHA20-POLY1305"),
    ]
    /// Go's TLS 1.3 suite names and their AEAD.
    static let tls13: [String: String] = [
        "TLS_AES_128_GCM_SHA256": "AES-128-GCM",
        "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
        "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305",
    ]
    /// exporter-toolkit's curve names and GnuTLS's groups.
    static let curves: [String: String] = [
        "CurveP256": "GROUP-SECP256R1", "CurveP384": "GROUP-SECP384R1",
        "CurveP521": "GROUP-SECP521R1", "X25519": "GROUP-X25519",
    ]
    /// The suite HTTP/2 requires of a TLS 1.2 list (Go's `http2.ConfigureServer`), either one.
    static let http2Required = [
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    ]

    /// `cipher_suites` as written (Go names); empty: GnuTLS's defaults.
    public var cipherSuites: [String]
    /// `curve_preferences` as written; empty: GnuTLS's defaults.
    public var curves: [String]

    /// No lists: GnuTLS's defaults.
    public init() {
        cipherSuites = []
        curves = []
    }

    /// Checks the names and that GnuTLS can allow exactly the listed TLS 1.2 suites. Errors
    /// name `cipherField` or `curveField`.
    public init(
        cipherSuites: [String], curves: [String], cipherField: String = "cipher_suites",
        curveField: String = "curve_preferences"
    ) throws(WebConfigError) {
        self.cipherSuites = cipherSuites
        self.curves = curves
        for (index, name) in cipherSuites.enumerated()
        where Self.tls12[name] == nil && Self.tls13[name] == nil {
            let hint =
                name.hasPrefix("TLS_RSA_")
                ? " (RSA key exchange: Go lists it as insecure and exporter-toolkit refuses it)" : ""
            throw WebConfigError(field: "\(cipherField)[\(index)]", problem: "unknown cipher: \(name)\(hint)")
        }
        for (index, name) in curves.enumerated() where Self.curves[name] == nil {
            let known = Self.curves.keys.sorted().joined(separator: ", ")
            throw WebConfigError(
                field: "\(curveField)[\(index)]", problem: "unknown curve: \(name) (known: \(known))")
        }
        if let extra = widened() {
            throw WebConfigError(
                field: cipherField,
                problem:
                    "GnuTLS cannot allow exactly these suites: its key exchanges and ciphers would also allow \(extra); add it to the list or drop one of its parts"
            )
        }
    }

    /// The priority items after the version items, e.g. `-KX-ALL:+ECDHE-RSA:…`; "" for none.
    public var priorityItems: String {
        var items: [String] = []
        if !cipherSuites.isEmpty {
            let listed12 = cipherSuites.compactMap { Self.tls12[$0] }
            let ciphers = unique(listed12.map(\.cipher) + cipherSuites.compactMap { Self.tls13[$0] })
            let macs = unique(ciphers.map { $0.hasSuffix("-CBC") ? "SHA1" : "AEAD" })
            items += ["-KX-ALL"] + unique(listed12.map(\.kx)).map { "+\($0)" }
            items += ["-CIPHER-ALL"] + ciphers.map { "+\($0)" }
            items += ["-MAC-ALL"] + macs.map { "+\($0)" }
        }
        if !curves.isEmpty {
            items += ["-GROUP-ALL"] + unique(curves.compactMap { Self.curves[$0] }).map { "+\($0)" }
        }
        return items.joined(separator: ":")
    }

    /// Whether a list is given without a suite Go's HTTP/2 server requires of it.
    public var lacksHTTP2Suite: Bool {
        !cipherSuites.isEmpty && !cipherSuites.contains { Self.http2Required.contains($0) }
    }

    /// Whether TLS 1.3 has a cipher: no list, or one with an AEAD (GCM, ChaCha20-Poly1305).
    /// Without one GnuTLS still picks TLS 1.3 with a client offering it, then fails.
    public var offersTLS13: Bool {
        cipherSuites.isEmpty
            || cipherSuites.contains {
                Self.tls13[$0] != nil || Self.tls12[$0]?.cipher.hasSuffix("-CBC") == false
            }
    }

    /// A Go suite name GnuTLS would allow beyond the list, or nil when it allows exactly it.
    private func widened() -> String? {
        let listed = Set(cipherSuites.filter { Self.tls12[$0] != nil })
        if listed.isEmpty { return nil }
        let parts = listed.compactMap { Self.tls12[$0] }
        let kxs = Set(parts.map(\.kx))
        let ciphers = Set(parts.map(\.cipher) + cipherSuites.compactMap { Self.tls13[$0] })
        return Self.tls12.filter { name, part in
            kxs.contains(part.kx) && ciphers.contains(part.cipher) && !listed.contains(name)
        }.keys.sorted().first
    }

    private func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
