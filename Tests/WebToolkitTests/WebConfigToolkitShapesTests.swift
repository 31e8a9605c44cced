import Foundation
import TestSupport
import Testing
import WebToolkit

/// Web configurations of each shape exporter-toolkit tests with (`web/testdata/*.good.*`),
/// written here: accepted, and turned into the GnuTLS settings that behave as Go's would.
@Suite("Web config: exporter-toolkit's accepted shapes")
struct WebConfigToolkitShapesTests {
    private let pki = TestPKI.shared
    private let files = "cert_file: server.pem\n  key_file: server.key\n"

    private func tls(_ body: String, http: String = "") throws -> WebTLSConfig {
        let config = try WebConfigLoader.parse(
            "tls_server_config:\n  \(files)\(body)\n\(http)", directory: pki.directory)
        return try #require(config.tls)
    }

    /// Upstream: web_config_noAuth_allCiphers.good.yml.
    @Test("every Go cipher-suite name maps: the full list allows both ECDHE key exchanges and five ciphers")
    func allCiphers() throws {
        let names = [
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        ]
        let config = try tls(
            "  client_auth_type: VerifyClientCertIfGiven\n  cipher_suites: [\(names.joined(separator: ", "))]"
        )
        #expect(
            config.gnutlsPriorities
                == "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA"
                + ":-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-CBC:+AES-256-CBC"
                + ":-MAC-ALL:+AEAD:+SHA1:%SERVER_PRECEDENCE")
    }

    /// Upstream: web_config_noAuth_someCiphers.good.yml, web_config_noAuth_someCiphers_noOrder.good.yml.
    @Test("some ciphers, TLS 1.2 only, in the server's order or the client's")
    func someCiphers() throws {
        let list = "[TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]"
        let ordered = try tls("  cipher_suites: \(list)\n  min_version: TLS12\n  max_version: TLS12")
        #expect(
            ordered.gnutlsPriorities
                == "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:-MAC-ALL:+AEAD:%SERVER_PRECEDENCE"
        )
        let clientOrder = try tls(
            "  cipher_suites: \(list)\n  prefer_server_cipher_suites: false\n  max_version: TLS12")
        #expect(!clientOrder.gnutlsPriorities.contains("%SERVER_PRECEDENCE"))
    }

    /// Upstream: web_config_noAuth_allCurves.good.yml, web_config_noAuth_someCurves.good.yml.
    @Test("curves: all four, or one")
    func curves() throws {
        let all = try tls("  curve_preferences: [CurveP256, CurveP384, CurveP521, X25519]")
        #expect(
            all.gnutlsPriorities.hasSuffix(
                ":-GROUP-ALL:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-SECP521R1:+GROUP-X25519:%SERVER_PRECEDENCE"
            ))
        let one = try tls("  min_version: TLS13\n  curve_preferences: [CurveP521]")
        #expect(
            one.gnutlsPriorities
                == "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP521R1:%SERVER_PRECEDENCE")
    }

    /// Upstream: web_config_noAuth_noHTTP2.good.yml.
    @Test("a TLS 1.2 list without HTTP/2's suite is accepted with http2: false")
    func noHTTP2() throws {
        let config = try tls(
            "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n  max_version: TLS12",
            http: "http_server_config:\n  http2: false\n")
        #expect(config.suites.cipherSuites == ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"])
        // With TLS 1.3 as the minimum, Go's HTTP/2 does not look at the TLS 1.2 list.
        _ = try tls("  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n  min_version: TLS13")
    }

    /// Upstream: web_config_noAuth_tlsInline.good.yml, tls_config_noAuth.requireanyclientcertkeyinline.good.yml.
    @Test("inline certificate and key, or a file and an inline key")
    func inline() throws {
        func indented(_ name: String) throws -> String {
            try pki.text(name).split(separator: "\n").map { "    \($0)" }.joined(separator: "\n")
        }
        let both = try WebConfigLoader.parse(
            "tls_server_config:\n  cert: |\n\(try indented("server.pem"))\n  key: |\n\(try indented("server.key"))\n",
            directory: "/nonexistent")
        #expect(both.tls?.certificatePEM == (try pki.text("server.pem")))
        let mixed = try WebConfigLoader.parse(
            "tls_server_config:\n  cert_file: server.pem\n  key: |\n\(try indented("server.key"))\n  client_auth_type: RequireAnyClientCert\n",
            directory: pki.directory)
        #expect(mixed.tls?.keyPEM == (try pki.text("server.key")))
        #expect(throws: WebConfigError.self) {
            try WebConfigLoader.parse(
                "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  key: |\n\(try indented("server.key"))\n",
                directory: pki.directory)
        }
    }

    /// Upstream: tls_config_noAuth.requireanyclientcert.good.yml.
    @Test(
        "client_auth_type asking for a certificate without client CAs gets a trust list that makes libmicrohttpd ask"
    )
    func clientAuthWithoutCAs() throws {
        let store = try #require(SystemTrustStore.load())
        for type in ["RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven"] {
            let config = try tls("  client_auth_type: \(type)")
            #expect(config.clientCAPEM == nil, "\(type)")
            #expect(config.clientTrustPEM == store.pem, "\(type)")
            let notes = try WebConfigLoader.parse(
                "tls_server_config:\n  \(files)  client_auth_type: \(type)\n", directory: pki.directory
            ).notes
            #expect(notes.contains { $0.contains("system CA bundle") }, "\(type)")
        }
        #expect(try tls("").clientTrustPEM == nil)
        let withCA = try tls("  client_auth_type: RequireAnyClientCert\n  client_ca_file: ca.pem")
        #expect(withCA.clientTrustPEM == (try pki.text("ca.pem")))
    }

    @Test("the system store is found where Go looks: SSL_CERT_FILE first")
    func systemStore() throws {
        let found = try #require(SystemTrustStore.load(environment: ["SSL_CERT_FILE": pki.path("ca.pem")]))
        let expected = try pki.text("ca.pem")
        #expect(found.file == pki.path("ca.pem") && found.pem == expected)
        #expect(SystemTrustStore.load(environment: ["SSL_CERT_FILE": pki.path("server.key")]) == nil)
    }

    /// Upstream: web_config_auth_client_san.good.yaml.
    @Test("client_allowed_sans with a verified client certificate")
    func allowedSANs() throws {
        let config = try tls(
            "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans: [one, test3, two]"
        )
        #expect(config.allowedSANs == ["one", "test3", "two"])
    }

    @Test("a certificate whose key usage lacks digitalSignature is served as Go would, and said so")
    func keyUsage() throws {
        let own = try TestPKI.serverAndClients()
        try own.issue("encipher-only", by: "ca", extensions: "keyUsage=critical,keyEncipherment")
        let config = try WebConfigLoader.parse(
            "tls_server_config: {cert_file: encipher-only.pem, key_file: encipher-only.key}",
            directory: own.directory)
        #expect(
            config.tls?.gnutlsPriorities.hasSuffix(":%DEBUG_ALLOW_KEY_USAGE_VIOLATIONS:%SERVER_PRECEDENCE")
                == true)
        #expect(config.notes.count == 1 && config.notes[0].contains("digitalSignature"))
        let normal = try WebConfigLoader.parse(
            "tls_server_config: {cert_file: server.pem, key_file: server.key}", directory: own.directory)
        #expect(normal.notes.isEmpty && normal.tls?.certificateLacksDigitalSignature == false)
    }
}
