import Foundation
import StrictYAML
import Yams

/// Reads and validates a `--web.config.file` (exporter-toolkit format, see docs/SECURITY.md).
/// Relative file names are relative to the configuration file's directory, as in
/// exporter-toolkit. Every error names the YAML path; none repeats a secret.
public enum WebConfigLoader {
    static let topLevelKeys: Set<String> = [
        "tls_server_config", "http_server_config", "basic_auth_users", "healthy_without_auth",
        "rate_limit",
    ]

    /// Reads the file at `path` and everything it names.
    public static func load(path: String) throws(WebConfigError) -> WebConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw WebConfigError(field: "(file)", problem: "cannot read \"\(path)\"")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, directory: directory)
    }

    /// Validates YAML text; file names in it are resolved against `directory`.
    public static func parse(_ text: String, directory: String) throws(WebConfigError) -> WebConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            // Only the first line: the rest quotes the file, and its lines hold bcrypt hashes.
            let firstLine = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
            throw WebConfigError(field: "(file)", problem: "is not valid YAML: \(firstLine)")
        }
        let yaml = StrictYAMLReader(nullIsEmpty: true)
        guard let fields = try yaml.section(root, at: "", allowedKeys: topLevelKeys) else {
            return WebConfig()  // an empty file: plain HTTP, no auth (exporter-toolkit does the same)
        }
        var config = WebConfig()
        config.rateLimit = try readRateLimit(fields["rate_limit"], yaml: yaml)
        let files = WebConfigFiles(directory: directory)
        config.tls = try WebTLSConfigReader(yaml: yaml, files: files).read(fields["tls_server_config"])
        config.notes += config.tls.map(notes(for:)) ?? []
        let http2 = try readHTTPServerConfig(fields["http_server_config"], yaml: yaml, into: &config)
        if let tls = config.tls, http2 != false, tls.minVersion < .tls13, tls.suites.lacksHTTP2Suite {
            // exporter-toolkit's Go server refuses to start with this list (HTTP/2 is on unless
            // `http2: false`); refusing it too keeps the file portable.
            throw WebConfigError(
                field: "tls_server_config.cipher_suites",
                problem:
                    "lacks TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, which exporter-toolkit requires for HTTP/2; add one, or set http_server_config.http2: false"
            )
        }
        config.basicAuthUsers = try BasicAuthUsers.read(fields["basic_auth_users"], yaml: yaml)
        if let open = fields["healthy_without_auth"] {
            config.healthyWithoutAuth = try yaml.bool(open.node, at: open.path)
        }
        return config
    }

    /// exporter-toolkit lets only these headers be set, and some only to these values; the
    /// rest (Content-Type, WWW-Authenticate, …) belong to the server.
    static let allowedHeaders: [String: [String]] = [
        "Strict-Transport-Security": [],
        "X-Content-Type-Options": ["nosniff"],
        "X-Frame-Options": ["deny", "sameorigin"],
        "X-XSS-Protection": [],
        "Content-Security-Policy": [],
    ]

    /// What is worth a line at load about how `tls` is served.
    private static func notes(for tls: WebTLSConfig) -> [String] {
        var notes: [String] = []
        if tls.clientCAPEM == nil, let trust = tls.clientTrustPEM, trust != tls.certificatePEM {
            notes.append(
                "tls_server_config: no client_ca_file; client certificates are verified against the system CA bundle, as Go does"
            )
        }
        if tls.certificateLacksDigitalSignature {
            notes.append(
                "tls_server_config: the certificate's key usage lacks digitalSignature; it signs key exchanges anyway, as Go does (reissue it with digitalSignature)"
            )
        }
        return notes
    }

    /// `rate_limit: {interval, burst}`; nil without it or with `interval: 0` (as in Go).
    private static func readRateLimit(_ section: YAMLField?, yaml: StrictYAMLReader)
        throws(WebConfigError) -> WebRateLimit?
    {
        guard let section,
            let fields = try yaml.section(section.node, at: section.path, allowedKeys: ["interval", "burst"])
        else { return nil }
        var interval = Duration.zero
        if let field = fields["interval"] {
            let text = try yaml.string(field.node, at: field.path)
            guard let parsed = text.isEmpty ? .zero : GoDuration.parse(text), parsed >= .zero else {
                throw WebConfigError(
                    field: field.path, problem: "must be a duration such as 1s or 100ms, got \"\(text)\"")
            }
            interval = parsed
        }
        var burst = 0
        if let field = fields["burst"] {
            let text = try yaml.string(field.node, at: field.path)
            guard let parsed = text.isEmpty ? 0 : Int(text), parsed >= 0 else {
                throw WebConfigError(
                    field: field.path, problem: "must be a whole number, 0 or more, got \"\(text)\"")
            }
            burst = parsed
        }
        return interval == .zero ? nil : WebRateLimit(interval: interval, burst: burst)
    }

    /// Reads `headers` into `config`; returns `http2` as given (nil when absent).
    private static func readHTTPServerConfig(
        _ section: YAMLField?, yaml: StrictYAMLReader, into config: inout WebConfig
    ) throws(WebConfigError) -> Bool? {
        guard let section,
            let fields = try yaml.section(
                section.node, at: section.path, allowedKeys: ["headers", "http2"])
        else { return nil }
        let http2 = try fields["http2"].map { f throws(WebConfigError) in try yaml.bool(f.node, at: f.path) }
        if http2 == true {
            throw WebConfigError(
                field: "\(section.path).http2",
                problem: "true is not supported: libmicrohttpd serves HTTP/1.1 only; set false or remove it")
        }
        guard let headers = fields["headers"],
            let entries = try yaml.section(headers.node, at: headers.path, allowedKeys: nil)
        else { return http2 }
        for name in entries.keys.sorted() {
            let entry = entries[name]!
            guard let allowedValues = allowedHeaders[name] else {
                let known = allowedHeaders.keys.sorted().joined(separator: ", ")
                throw WebConfigError(field: entry.path, problem: "can not be configured (allowed: \(known))")
            }
            let value = try yaml.string(entry.node, at: entry.path)
            if value.isEmpty { continue }  // blank means unset, as in exporter-toolkit
            if !allowedValues.isEmpty && !allowedValues.contains(value) {
                throw WebConfigError(
                    field: entry.path,
                    problem: "must be one of \(allowedValues.joined(separator: ", ")), got \"\(value)\"")
            }
            if value.contains(where: { $0 == "\r" || $0 == "\n" }) {
                throw WebConfigError(field: entry.path, problem: "must be one line")
            }
            config.headers.append(WebHeader(name: name, value: value))
        }
        return http2
    }
}

/// Reads files named in the configuration, relative to its directory.
struct WebConfigFiles {
    let directory: String

    func read(_ name: String, at path: String) throws(WebConfigError) -> String {
        let resolved = name.hasPrefix("/") ? name : directory + "/" + name
        guard let text = try? String(contentsOfFile: resolved, encoding: .utf8) else {
            throw WebConfigError(field: path, problem: "cannot read \"\(resolved)\"")
        }
        return text
    }
}
