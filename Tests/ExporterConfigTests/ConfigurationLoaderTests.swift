import Foundation
import Testing

@testable import ExporterConfig

/// A folder of secret files for the fixtures (`${SECRETS}` in them).
private let secrets: String = {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("cckm-config-tests-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: "\(directory)/password", contents: Data("s3cret-pw\n".utf8))
    _ = FileManager.default.createFile(atPath: "\(directory)/token", contents: Data("refresh-tok".utf8))
    _ = FileManager.default.createFile(atPath: "\(directory)/empty", contents: Data("\n".utf8))
    _ = FileManager.default.createFile(atPath: "\(directory)/ca.pem", contents: Data("pem".utf8))
    return directory
}()

private func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/config/\(name)", withExtension: "yml"))
    return try String(contentsOf: url, encoding: .utf8)
}

private func load(_ name: String) throws -> ExporterConfiguration {
    try ConfigurationLoader.parse(
        yaml: try fixture(name), defaults: (.seconds(30), .seconds(20)),
        environment: ["SECRETS": secrets])
}

@Suite("Configuration file")
struct ConfigurationLoaderTests {
    @Test("a valid file decodes with defaults, trimmed URL, secrets from files and env expansion")
    func validFile() throws {
        let configuration = try load("valid-two-targets")
        #expect(configuration.pollInterval == .seconds(60))
        #expect(configuration.pollTimeout == .seconds(30))
        #expect(configuration.targets.count == 2)
        let prod = configuration.targets[0]
        #expect(prod.name == "prod")
        #expect(prod.url == "https://cm-prod.example.com")
        #expect(prod.clouds == ["aws", "azure"])
        #expect(prod.pageSize == 200)
        #expect(prod.auth.username == "metrics")
        #expect(prod.auth.domain == "root")
        #expect(prod.auth.password == Secret("s3cret-pw"))
        #expect(prod.tls.caFile == "\(secrets)/ca.pem")
        let dr = configuration.targets[1]
        #expect(dr.name == "cm-dr.example.com")
        #expect(dr.clouds == ["aws"])
        #expect(dr.pageSize == 500)
        #expect(dr.auth.refreshToken == Secret("refresh-tok"))
        #expect(dr.auth.password == nil)
    }

    /// One fixture per rule, with the exact one-line message the user sees.
    static let invalidCases: [(String, String)] = [
        (
            "unknown-top-level-key",
            "poll_intervall: unknown field (known: full_resync_interval, poll_interval, poll_timeout, shard, targets, total_shards, walk_timeout)"
        ),
        (
            "unknown-target-key",
            "targets[0].clous: unknown field (known: auth, clouds, name, page_size, tls, url)"
        ),
        (
            "unknown-auth-key",
            "targets[0].auth.pasword_file: unknown field (known: auth_domain, domain, grant, password_file, refresh_token_file, username)"
        ),
        ("missing-targets", "targets: is required"),
        ("empty-targets", "targets: must list at least one target"),
        ("missing-url", "targets[0].url: is required"),
        ("bad-url-scheme", "targets[0].url: must be an http:// or https:// URL, got \"ftp://cm\""),
        ("url-with-credentials", "targets[0].url: must not carry credentials; use auth.password_file"),
        (
            "unknown-cloud",
            "targets[0].clouds: unknown listing \"gcp\" (known: aws, aws-custom-key-stores, azure, azure-certificates, azure-secrets, google, oci, sap, sfdc-keys, sfdc-certificates)"
        ),
        ("duplicate-cloud", "targets[0].clouds: lists \"aws\" twice"),
        (
            "no-credentials",
            "targets[0].auth.password_file: no credentials: set a password file or a refresh token file"
        ),
        ("password-without-username", "targets[0].auth.username: is required with a password"),
        ("missing-password-file", "targets[0].auth.password_file: cannot read \"/nonexistent/password\""),
        ("empty-password-file", "targets[0].auth.password_file: \"\(secrets)/empty\" is empty"),
        ("duplicate-name", "targets[1].name: \"a\" is used by another target"),
        ("bad-duration", "poll_interval: must be a duration like 30s, 1m or 1h30m, got \"30 seconds\""),
        ("timeout-above-interval", "poll_timeout: (20s) must not exceed the poll interval (10s)"),
        ("page-size-zero", "targets[0].page_size: must be between 1 and 10000, got 0"),
        ("page-size-text", "targets[0].page_size: must be a whole number, got \"lots\""),
        ("insecure-not-bool", "targets[0].tls.insecure_skip_verify: must be true or false"),
        ("missing-ca-file", "targets[0].tls.ca_file: cannot read \"/nonexistent/ca.pem\""),
        ("unset-environment-variable", "targets[0].url: uses ${CM_HOST_UNSET}, which is not set"),
        ("clouds-not-a-list", "targets[0].clouds: must be a list, e.g. [aws, azure]"),
        ("not-a-mapping", "(top level): must be a mapping"),
    ]

    @Test("each invalid file is refused with one line naming the field", arguments: invalidCases)
    func invalidFile(name: String, message: String) throws {
        #expect {
            _ = try load("invalid-\(name)")
        } throws: { error in
            let text = "\(error)"
            #expect(text == message)
            return text == message
        }
    }

    @Test("a YAML syntax error is reported on one line")
    func yamlSyntax() throws {
        #expect {
            _ = try load("invalid-yaml-syntax")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("(yaml): ") && !text.contains("\n")
        }
    }

    @Test("no error message ever contains a secret")
    func errorsCarryNoSecrets() throws {
        for (name, _) in Self.invalidCases {
            do { _ = try load("invalid-\(name)") } catch {
                #expect(!"\(error)".contains("s3cret-pw"))
            }
        }
        let configuration = try load("valid-two-targets")
        #expect(!"\(configuration)".contains("s3cret-pw"))
        #expect(!"\(configuration)".contains("refresh-tok"))
    }
}

@Suite("Prometheus durations")
struct PrometheusDurationTests {
    @Test(
        "parses the Prometheus forms",
        arguments: [
            ("30s", Duration.seconds(30)), ("1m30s", .seconds(90)), ("500ms", .milliseconds(500)),
            ("2h", .seconds(7200)), ("1d", .seconds(86400)), ("0", .zero),
            ("1h1m1s1ms", .milliseconds(3_661_001)), ("1h30m", .seconds(5400)),
        ])
    func parses(text: String, expected: Duration) {
        #expect(PrometheusDuration.parse(text) == expected)
    }

    @Test(
        "rejects other forms",
        arguments: ["", "30", "s", "1.5s", "-1s", "1s1m", "1m1m", "30 s", "1x", "99999999999999999s"])
    func rejects(text: String) {
        #expect(PrometheusDuration.parse(text) == nil)
    }

    /// A configuration with an absurd duration is refused, on start and on reload, never a crash.
    @Test(
        "components that each fit but whose sum overflows are refused",
        arguments: ["292000000y15000000000w", "292000000y100000000000d"])
    func overflowingSum(text: String) {
        #expect(PrometheusDuration.parse(text) == nil)
    }

    @Test("formats like Prometheus")
    func formats() {
        #expect(PrometheusDuration.format(.seconds(90)) == "1m30s")
        #expect(PrometheusDuration.format(.milliseconds(250)) == "250ms")
        #expect(PrometheusDuration.format(.zero) == "0s")
    }
}

@Suite("Secret")
struct SecretTests {
    @Test("description, debugDescription and dump() never show the value")
    func redacted() {
        let secret = Secret("hunter2-value")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!"\(secret)".contains("hunter2"))
        #expect(!String(reflecting: secret).contains("hunter2"))
        #expect(!dumped.contains("hunter2"))
    }
}
