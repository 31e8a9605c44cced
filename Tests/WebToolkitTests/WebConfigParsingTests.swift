import Foundation
import TestSupport
import Testing
import WebToolkit

/// `--web.config.file` in exporter-toolkit's format: what is accepted, and every refusal
/// naming the YAML path (unknown keys included) without repeating a secret.
@Suite("Web config: exporter-toolkit format, strict, errors name the field")
struct WebConfigParsingTests {
    private func parse(_ yaml: String, _ pki: TestPKI) throws(WebConfigError) -> WebConfig {
        try WebConfigLoader.parse(yaml, directory: pki.directory)
    }

    @Test("a full file: TLS from relative file names, client auth, versions, headers, users")
    func fullFile() throws {
        let pki = TestPKI.shared
        let config = try parse(
            """
            tls_server_config:
              cert_file: server.pem
              key_file: server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: \(pki.path("ca.pem"))
              min_version: TLS13
              prefer_server_cipher_suites: false
              cipher_suites: []
            http_server_config:
              http2: false
              headers:
                X-Frame-Options: deny
                Strict-Transport-Security: max-age=31536000
                Content-Security-Policy: ""
            basic_auth_users:
              \(BcryptFixture.quick.user): \(BcryptFixture.quick.hash)
              \(BcryptFixture.bPrefix.user): \(BcryptFixture.bPrefix.hash)
            healthy_without_auth: true
            """, pki)
        let tls = try #require(config.tls)
        #expect(tls.certificatePEM == (try pki.text("server.pem")))
        #expect(tls.clientCAPEM == (try pki.text("ca.pem")))
        #expect(tls.clientAuth == .requireAndVerifyClientCert)
        #expect(tls.gnutlsPriorities == "NORMAL:-VERS-ALL:+VERS-TLS1.3")
        #expect(
            config.headers == [
                WebHeader(name: "Strict-Transport-Security", value: "max-age=31536000"),
                WebHeader(name: "X-Frame-Options", value: "deny"),
            ])
        #expect(
            config.basicAuthUsers == ["quick": BcryptFixture.quick.hash, "b": BcryptFixture.bPrefix.hash])
        #expect(config.healthyWithoutAuth)
        #expect(config.notes == [])
        #expect(!"\(config)".contains("PRIVATE KEY") && !"\(config)".contains("$2y$"))
    }

    @Test("an empty file serves plain HTTP without auth, as exporter-toolkit does")
    func emptyFile() throws {
        let pki = TestPKI.shared
        #expect(try parse("", pki) == WebConfig())
        #expect(try parse("# nothing\n", pki) == WebConfig())
        #expect(try parse("tls_server_config:\nbasic_auth_users: {}\n", pki) == WebConfig())
    }

    @Test("the default TLS versions are 1.2 and 1.3 with the server's cipher preference")
    func defaults() throws {
        let pki = TestPKI.shared
        let tls = try #require(
            try parse("tls_server_config: {cert_file: server.pem, key_file: server.key}", pki).tls)
        #expect(tls.clientAuth == .noClientCert && tls.clientCAPEM == nil)
        #expect(tls.gnutlsPriorities == "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3:%SERVER_PRECEDENCE")
    }

    /// One rule per row: the YAML, the field the error must name, words the problem must hold.
    static let refusals: [(yaml: String, field: String, problem: String)] = [
        ("basic_auth_user: {}", "basic_auth_user", "unknown field"),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, ciphers: []}",
            "tls_server_config.ciphers", "unknown field"
        ),
        ("http_server_config: {header: {}}", "http_server_config.header", "unknown field"),
        ("tls_server_config: {key_file: server.key}", "tls_server_config.cert_file", "is required"),
        ("tls_server_config: {cert_file: server.pem}", "tls_server_config.key_file", "is required"),
        (
            "tls_server_config: {cert_file: missing.pem, key_file: server.key}",
            "tls_server_config.cert_file", "cannot read"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: client.key}",
            "tls_server_config.key_file", "do not load as a pair"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cert: x}",
            "tls_server_config.cert_file", "not both"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, client_auth_type: Always}",
            "tls_server_config.client_auth_type", "must be one of"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, client_auth_type: RequireAndVerifyClientCert}",
            "tls_server_config.client_ca_file", "is required"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem}",
            "tls_server_config.client_auth_type", "NoClientCert"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, client_auth_type: RequireAndVerifyClientCert, client_ca_file: ca.key}",
            "tls_server_config.client_ca_file", "no PEM certificate"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, min_version: TLS10}",
            "tls_server_config.min_version", "not supported"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, max_version: TLS14}",
            "tls_server_config.max_version", "must be TLS12 or TLS13"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, min_version: TLS13, max_version: TLS12}",
            "tls_server_config.max_version", "below min_version"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA2048]}",
            "tls_server_config.cipher_suites[1]", "unknown cipher: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA2048"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_RSA_WITH_AES_128_GCM_SHA256]}",
            "tls_server_config.cipher_suites[0]", "Go lists it as insecure"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]}",
            "tls_server_config.cipher_suites", "would also allow TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]}",
            "tls_server_config.cipher_suites", "http2: false"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_AES_128_GCM_SHA256]}",
            "tls_server_config.cipher_suites", "http2: false"
        ),
        (
            "{tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]}, http_server_config: {http2: false}}",
            "tls_server_config.cipher_suites", "max_version: TLS12"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: TLS_AES_128_GCM_SHA256}",
            "tls_server_config.cipher_suites", "must be a list"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, curve_preferences: [X25519, CurveP257]}",
            "tls_server_config.curve_preferences[1]", "unknown curve: CurveP257"
        ),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, client_allowed_sans: [a]}",
            "tls_server_config.client_allowed_sans", "not NoClientCert"
        ),
        ("http_server_config: {http2: true}", "http_server_config.http2", "HTTP/1.1 only"),
        (
            "tls_server_config: {cert_file: server.pem, key_file: server.key, prefer_server_cipher_suites: maybe}",
            "tls_server_config.prefer_server_cipher_suites", "true or false"
        ),
        (
            "http_server_config: {headers: {Content-Type: text/html}}",
            "http_server_config.headers.Content-Type", "can not be configured"
        ),
        (
            "http_server_config: {headers: {WWW-Authenticate: Basic}}",
            "http_server_config.headers.WWW-Authenticate", "can not be configured"
        ),
        (
            "http_server_config: {headers: {Authorization: x}}",
            "http_server_config.headers.Authorization", "can not be configured"
        ),
        (
            "http_server_config: {headers: {X-Frame-Options: allow}}",
            "http_server_config.headers.X-Frame-Options", "must be one of deny, sameorigin"
        ),
        (
            "http_server_config: {headers: {X-Content-Type-Options: sniff}}",
            "http_server_config.headers.X-Content-Type-Options", "must be one of nosniff"
        ),
        ("http_server_config: {http2: sometimes}", "http_server_config.http2", "true or false"),
        ("basic_auth_users: {alice: clear-text-password}", "basic_auth_users.alice", "bcrypt hash"),
        ("basic_auth_users: {alice: \"$2y$10$short\"}", "basic_auth_users.alice", "bcrypt hash"),
        (
            "basic_auth_users: {\"al:ice\": \"$2y$04$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy\"}",
            "basic_auth_users.al:ice", "without ':'"
        ),
        ("basic_auth_users: [alice]", "basic_auth_users", "must be a mapping"),
        ("healthy_without_auth: yes please", "healthy_without_auth", "true or false"),
        ("rate_limit: {interval: 1 second, burst: 5}", "rate_limit.interval", "must be a duration"),
        ("rate_limit: {interval: -1s, burst: 5}", "rate_limit.interval", "must be a duration"),
        ("rate_limit: {interval: 1s, burst: -1}", "rate_limit.burst", "0 or more"),
        ("rate_limit: {interval: 1s, bursts: 1}", "rate_limit.bursts", "unknown field"),
        ("tls_server_config: [a]", "tls_server_config", "must be a mapping"),
        ("- a\n- b", "(top level)", "must be a mapping"),
        (
            "tls_server_config: {cert_file: [a], key_file: server.key}", "tls_server_config.cert_file",
            "text value"
        ),
        ("basic_auth_users: {a: b", "(file)", "not valid YAML"),
    ]

    @Test("each refusal names its field", arguments: refusals.indices)
    func refusal(_ index: Int) throws {
        let pki = TestPKI.shared
        let row = Self.refusals[index]
        #expect(throws: WebConfigError.self, "\(row.yaml)") {
            try WebConfigLoader.parse(row.yaml, directory: pki.directory)
        }
        do {
            _ = try parse(row.yaml, pki)
        } catch {
            #expect(error.field == row.field, "\(row.yaml) → \(error)")
            #expect(error.problem.contains(row.problem), "\(row.yaml) → \(error)")
        }
    }

    @Test("a clear-text password given as a hash is never repeated in the error")
    func noSecretInErrors() throws {
        let pki = TestPKI.shared
        do {
            _ = try parse("basic_auth_users: {alice: hunter2-secret}", pki)
            Issue.record("accepted a clear-text password")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("a missing file is refused naming the file")
    func missingFile() {
        #expect(throws: WebConfigError(field: "(file)", problem: "cannot read \"/nonexistent/web.yml\"")) {
            try WebConfigLoader.load(path: "/nonexistent/web.yml")
        }
    }

    /// A bcrypt hash as `basic_auth_users` holds it.
    static let hash = "$2y$10$mCAOlG1dITged/7A2TO1hePu6Dzf5zWfGOcFyH01t7i.f7u8RRvoS"

    /// A web configuration that is not valid YAML is refused with an error that goes to the log
    /// and to the `POST /-/reload` answer: it must not quote the file's lines, which hold the
    /// bcrypt hashes of `basic_auth_users`.
    @Test(
        "invalid YAML on a hash line: the error does not repeat the hash",
        arguments: [
            "basic_auth_users:\n  admin: \(hash)\n  bad: \"\(hash)\n",
            "basic_auth_users:\n  admin: [\(hash)\n",
            "basic_auth_users:\n  admin: \(hash)\n\tbad: x\n",
        ])
    func invalidYAMLQuotesNothing(text: String) {
        do {
            _ = try WebConfigLoader.parse(text, directory: "/tmp")
            Issue.record("expected the file to be refused")
        } catch {
            #expect(!"\(error)".contains("mCAOlG1dITged"), "\(error)")
            #expect("\(error)".contains("YAML"))
        }
    }
}
