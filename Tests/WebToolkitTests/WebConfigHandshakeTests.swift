import Foundation
import TestSupport
import Testing
import WebToolkit

/// Real TLS handshakes (`openssl s_client`) against web configurations of exporter-toolkit's
/// shapes: listed cipher suites and curves accepted, others refused; each client_auth_type
/// without client CAs; client_allowed_sans; extended key usage as Go checks it.
@Suite("Web config: cipher suites, curves and client certificates over real handshakes")
struct WebConfigHandshakeTests {
    /// One PKI with the extra client certificates these tests need.
    static let pki: TestPKI = {
        do {
            let pki = try TestPKI.serverAndClients()
            try pki.issue(
                "san-dns", by: "ca",
                extensions: "subjectAltName=DNS:scraper.example\nextendedKeyUsage=clientAuth")
            try pki.issue(
                "san-other", by: "ca",
                extensions:
                    "subjectAltName=DNS:other.example,email:ops@example.net,IP:10.0.0.7,URI:spiffe://x/y\nextendedKeyUsage=clientAuth"
            )
            try pki.issue("server-eku", by: "ca", extensions: "extendedKeyUsage=serverAuth")
            try pki.issue("no-eku", by: "ca", extensions: "basicConstraints=CA:FALSE")
            return pki
        } catch { fatalError("openssl could not make the test PKI: \(error)") }
    }()

    private func server(_ tls: String) throws -> GatedServer {
        try GatedServer(
            WebConfigLoader.parse(
                "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n\(tls)\n",
                directory: Self.pki.directory))
    }

    /// The HTTP status of `GET /metrics` through `openssl s_client`, or 0 when the handshake
    /// fails; the negotiated cipher as openssl names it.
    private func get(_ server: GatedServer, _ arguments: [String], certificate: String? = nil)
        throws -> (status: Int, cipher: String)
    {
        var args = ["-CAfile", Self.pki.path("ca.pem")]
        if let certificate {
            args += [
                "-cert", Self.pki.path("\(certificate).pem"), "-key", Self.pki.path("\(certificate).key"),
            ]
        }
        let text = try OpenSSL.sClient(
            port: server.port, ["-quiet", "-ign_eof"] + args + arguments,
            input: "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ).output
        let status = text.hasPrefix("HTTP/1.1 ") ? Int(text.dropFirst(9).prefix(3)) ?? 0 : 0
        // Without -quiet, s_client prints the session, the cipher's line among it.
        let session = try OpenSSL.sClient(port: server.port, args + arguments).output
        let line = session.split(separator: "\n").first { $0.contains("Cipher is ") }
        return (status, line.map { String($0.split(separator: " ").last ?? "") } ?? "")
    }

    @Test("a listed TLS 1.2 suite is accepted, an unlisted one refused")
    func cipherSuites() throws {
        let server = try server(
            "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]\n  max_version: TLS12"
        )
        #expect(try get(server, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"]).status == 200)
        #expect(try get(server, ["-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"]).status == 200)
        #expect(try get(server, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"]).status == 0)
        #expect(try get(server, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"]).status == 0)
        // Without the list, GnuTLS's defaults allow AES-256-GCM.
        let open = try self.server("  max_version: TLS12")
        #expect(try get(open, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"]).status == 200)
    }

    @Test("prefer_server_cipher_suites: the server's order, or the client's")
    func preference() throws {
        let list =
            "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n  max_version: TLS12"
        let clientOrder = [
            "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
        ]
        #expect(try get(try server(list), clientOrder).cipher == "ECDHE-ECDSA-AES256-GCM-SHA384")
        #expect(
            try get(try server(list + "\n  prefer_server_cipher_suites: false"), clientOrder).cipher
                == "ECDHE-ECDSA-AES128-GCM-SHA256")
    }

    @Test("TLS 1.3 offers the AEAD ciphers of the list")
    func tls13() throws {
        let server = try server("  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]")
        #expect(try get(server, ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"]).status == 200)
        #expect(try get(server, ["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"]).status == 0)
    }

    @Test("TLS 1.3 names alone leave TLS 1.2 without a suite, as in Go; CBC suites serve TLS 1.2")
    func tls13NamesAndCBC() throws {
        let onlyTLS13 = try GatedServer(
            WebConfigLoader.parse(
                "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_AES_256_GCM_SHA384]}\n"
                    + "http_server_config: {http2: false}", directory: Self.pki.directory))
        #expect(try get(onlyTLS13, ["-tls1_3"]).cipher == "TLS_AES_256_GCM_SHA384")
        #expect(try get(onlyTLS13, ["-tls1_2"]).status == 0)
        let cbc = try GatedServer(
            WebConfigLoader.parse(
                "tls_server_config: {cert_file: server.pem, key_file: server.key, max_version: TLS12,"
                    + " cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA]}\nhttp_server_config: {http2: false}",
                directory: Self.pki.directory))
        #expect(try get(cbc, []).cipher == "ECDHE-ECDSA-AES256-SHA")
        #expect(try get(cbc, ["-cipher", "ECDHE-ECDSA-AES128-SHA"]).status == 0)
    }

    @Test("a listed curve is accepted, an unlisted one refused, under TLS 1.2 and 1.3")
    func curves() throws {
        let server = try server("  curve_preferences: [CurveP521, X25519]")
        // Under TLS 1.2 the client must also offer the curve of the server's P-256 certificate.
        for (version, certificateCurve) in [("-tls1_2", ":P-256"), ("-tls1_3", "")] {
            for curve in ["P-521", "X25519"] {
                #expect(
                    try get(server, [version, "-curves", curve + certificateCurve]).status == 200,
                    "\(version) \(curve)")
            }
            #expect(
                try get(server, [version, "-curves", "P-384" + certificateCurve]).status == 0, "\(version)")
        }
    }

    @Test(
        "client_auth_type without client_ca_file: asks for a certificate, Go's policy per request",
        arguments: [
            ("RequestClientCert", [200, 200, 200]),
            ("RequireAnyClientCert", [403, 200, 200]),
            // The system store verifies neither the rogue certificate nor the test CA's.
            ("VerifyClientCertIfGiven", [200, 403, 403]),
        ])
    func clientAuthWithoutCAs(_ type: String, expected: [Int]) throws {
        let server = try server("  client_auth_type: \(type)")
        let statuses = try [nil, "rogue-client", "client"].map { try get(server, [], certificate: $0).status }
        #expect(statuses == expected, "\(type)")
    }

    @Test("an extended key usage without clientAuth does not verify, as in Go; none at all does")
    func keyPurpose() throws {
        let server = try server("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem")
        #expect(try get(server, [], certificate: "client").status == 200)
        #expect(try get(server, [], certificate: "no-eku").status == 200)
        #expect(try get(server, [], certificate: "server-eku").status == 403)
    }

    @Test("client_allowed_sans: a DNS name, e-mail, IP or URI on the certificate admits it; else 403")
    func allowedSANs() throws {
        let base =
            "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans:"
        let dns = try server(base + " [scraper.example]")
        #expect(try get(dns, [], certificate: "san-dns").status == 200)
        #expect(try get(dns, [], certificate: "san-other").status == 403)
        #expect(try get(dns, [], certificate: "client").status == 403)
        #expect(try get(dns, []).status == 403)
        for san in ["ops@example.net", "10.0.0.7", "spiffe://x/y"] {
            #expect(
                try get(try server(base + " [\"\(san)\"]"), [], certificate: "san-other").status == 200,
                "\(san)")
        }
    }

    @Test("an RSA certificate without digitalSignature still serves ECDHE, as Go's server does")
    func keyUsage() throws {
        try Self.pki.selfSigned(
            "encipher-only", key: .rsa2048, extensions: ["keyUsage=critical,keyEncipherment"])
        let server = try GatedServer(
            WebConfigLoader.parse(
                "tls_server_config: {cert_file: encipher-only.pem, key_file: encipher-only.key}",
                directory: Self.pki.directory))
        #expect(try get(server, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]).status == 200)
        #expect(try get(server, ["-tls1_3"]).status == 200)
    }
}
