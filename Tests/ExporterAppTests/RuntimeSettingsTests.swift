import Foundation
import Testing

@testable import ExporterApp
@testable import ExporterConfig

private func settings(_ arguments: [String], environment: [String: String] = [:]) throws -> RuntimeSettings {
    try RuntimeSettings(options: try ExporterOptions.parse(arguments), environment: environment)
}

private func flagError(_ arguments: [String], environment: [String: String] = [:]) -> String? {
    do {
        _ = try settings(arguments, environment: environment).configuration()
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite("Command line")
struct RuntimeSettingsTests {
    @Test("single target from flags with the password from the environment")
    func flagsTarget() throws {
        let configuration = try settings(
            [
                "--cm.url=https://cm.example.com:8443", "--cm.username=metrics", "--cm.clouds=aws,google",
                "--poll.interval=1m", "--cm.page-size=100",
            ],
            environment: ["CCKM_PASSWORD": "pw"]
        ).configuration()
        let target = try #require(configuration.targets.first)
        #expect(target.name == "cm.example.com")
        #expect(target.clouds == ["aws", "google"])
        #expect(target.pageSize == 100)
        #expect(target.auth.password == Secret("pw"))
        #expect(configuration.pollInterval == .seconds(60))
    }

    @Test(
        "listen addresses",
        arguments: [
            (":7256", nil as String?, UInt16(7256)), ("127.0.0.1:9", "127.0.0.1", 9), ("[::1]:80", "::1", 80),
            ("localhost:1", "127.0.0.1", 1), ("0.0.0.0:7256", "0.0.0.0", 7256),
        ])
    func listenAddress(text: String, host: String?, port: UInt16) throws {
        let (parsedHost, parsedPort) = try RuntimeSettings.listenAddress(text)
        #expect(parsedHost == host)
        #expect(parsedPort == port)
    }

    @Test(
        "bad flags name the flag",
        arguments: [
            (["--cm.username=u"], "--cm.url: is required (or --config.file, or --demo to try the exporter)"),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--log.level=loud"],
                "--log.level: must be debug, info, warn or error, got \"loud\""
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--log.format=xml"],
                "--log.format: must be logfmt or json, got \"xml\""
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--web.listen-address=7256"],
                "--web.listen-address: must be [host]:port with a numeric host, got \"7256\""
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--web.listen-address=example.com:1"],
                "--web.listen-address: must be [host]:port with a numeric host, got \"example.com:1\""
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--poll.interval=soon"],
                "--poll.interval: must be a duration like 30s or 1m, got \"soon\""
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--web.telemetry-path=metrics"],
                "--web.telemetry-path: must be a path like /metrics, got \"metrics\""
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u"],
                "--cm.password-file: no credentials: set a password file or a refresh token file"
            ),
            (
                ["--cm.url=https://cm", "--cm.clouds=aws,nope"],
                "--cm.clouds: unknown listing \"nope\" (known: aws, aws-custom-key-stores, azure, azure-certificates, azure-secrets, google, oci, sap, sfdc-keys, sfdc-certificates)"
            ),
            (
                ["--config.file=/x.yml", "--cm.url=https://cm"],
                "--config.file: cannot be combined with --cm.* flags"
            ),
            (
                ["--demo", "--cm.url=https://cm"],
                "--demo: cannot be combined with --config.file or --cm.* flags"
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--poll.interval=10s", "--poll.timeout=20s"],
                "--poll.timeout: (20s) must not exceed the poll interval (10s)"
            ),
            (
                ["--cm.url=https://cm", "--cm.username=u", "--cm.page-size=0"],
                "--cm.page-size: must be between 1 and 10000, got 0"
            ),
        ] as [([String], String)])
    func badFlags(arguments: [String], message: String) {
        let environment =
            arguments.contains("--cm.username=u") && !message.contains("no credentials")
            ? ["CCKM_PASSWORD": "pw"] : [:]
        #expect(flagError(arguments, environment: environment) == message)
    }
}

@Suite("Server limit flags")
struct ServerLimitFlagTests {
    @Test(
        "out-of-range limits name the flag",
        arguments: [
            ("--web.max-connections=0", "--web.max-connections: must be 1 to 100000, got 0"),
            (
                "--web.max-connections-per-ip=9999",
                "--web.max-connections-per-ip: must be 0 (no limit) to --web.max-connections, got 9999"
            ),
            ("--web.connection-timeout=0s", "--web.connection-timeout: must be 1s to 1h, got \"0s\""),
            (
                "--web.connection-timeout=soon",
                "--web.connection-timeout: must be a duration like 30s or 1m, got \"soon\""
            ),
            ("--web.max-request-bytes=10", "--web.max-request-bytes: must be 4096 to 16777216, got 10"),
            (
                "--web.request-header-timeout=500ms",
                "--web.request-header-timeout: must be 1s to 1h, got \"500ms\""
            ),
            (
                "--web.request-header-timeout=later",
                "--web.request-header-timeout: must be a duration like 30s or 1m, got \"later\""
            ),
        ])
    func badLimit(flag: String, message: String) throws {
        let options = try ExporterOptions.parse(["--cm.url=https://cm", flag])
        #expect {
            _ = try RuntimeSettings(options: options, environment: [:])
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test("--web.request-header-timeout defaults to 10s and takes a duration")
    func requestHeaderTimeout() throws {
        let defaults = try RuntimeSettings(
            options: try ExporterOptions.parse(["--cm.url=https://cm"]), environment: [:])
        #expect(defaults.webRequestHeaderTimeout == .seconds(10))
        let set = try RuntimeSettings(
            options: try ExporterOptions.parse(["--cm.url=https://cm", "--web.request-header-timeout=1m"]),
            environment: [:])
        #expect(set.webRequestHeaderTimeout == .seconds(60))
    }
}

@Suite("Poll timeout default")
struct PollTimeoutDefaultTests {
    @Test("without --poll.timeout, a short interval lowers the timeout to the interval")
    func shortInterval() throws {
        let configuration = try RuntimeSettings(
            options: try ExporterOptions.parse([
                "--cm.url=https://cm", "--cm.username=u", "--poll.interval=5s",
            ]),
            environment: ["CCKM_PASSWORD": "pw"]
        ).configuration()
        #expect(configuration.pollTimeout == .seconds(5))
    }

    @Test("without --poll.timeout, the default is 20s")
    func defaultTimeout() throws {
        let configuration = try RuntimeSettings(
            options: try ExporterOptions.parse(["--cm.url=https://cm", "--cm.username=u"]),
            environment: ["CCKM_PASSWORD": "pw"]
        ).configuration()
        #expect(configuration.pollTimeout == .seconds(20))
    }

    @Test("a config file with a short poll_interval and no poll_timeout is valid")
    func fileShortInterval() throws {
        let token = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(getpid())").path
        _ = FileManager.default.createFile(atPath: token, contents: Data("t".utf8))
        defer { try? FileManager.default.removeItem(atPath: token) }
        let configuration = try ConfigurationLoader.parse(
            yaml:
                "poll_interval: 10s\ntargets:\n  - url: https://cm\n    auth: {refresh_token_file: \(token)}\n",
            defaults: (.seconds(30), nil))
        #expect(configuration.pollTimeout == .seconds(10))
    }
}

@Suite("Command line: sharding")
struct ShardFlagTests {
    private let target = ["--cm.url=https://cm.example.com", "--cm.username=u"]
    private let password = ["CCKM_PASSWORD": "pw"]

    @Test("no shard flag: one shard, every target")
    func unsharded() throws {
        #expect(try settings(target, environment: password).configuration().sharding == .unsharded)
    }

    @Test("--shard.from-pod-name takes the StatefulSet ordinal")
    func fromPodName() throws {
        let configuration = try settings(
            target + ["--shard.from-pod-name=cckm-exporter-2", "--total-shards=3"], environment: password
        ).configuration()
        #expect(configuration.sharding == ShardAssignment(shard: 2, totalShards: 3))
    }

    @Test(
        "bad shard flags: one line naming the flag",
        arguments: [
            (["--shard=3", "--total-shards=3"], "--shard: must be less than --total-shards (3), got 3"),
            (["--shard=1"], "--shard: must be less than --total-shards (1), got 1"),
            (["--total-shards=0"], "--total-shards: must be 1 to 1024, got 0"),
            (["--shard=-1", "--total-shards=2"], "--shard: must not be negative, got -1"),
            (
                ["--shard.from-pod-name=cckm-exporter", "--total-shards=2"],
                "--shard.from-pod-name: \"cckm-exporter\" is not a StatefulSet pod name ending in -ORDINAL like cckm-exporter-3 (is POD_NAME set from metadata.name?)"
            ),
            (
                ["--shard.from-pod-name=cckm-exporter-1", "--shard=1", "--total-shards=2"],
                "--shard.from-pod-name: cannot be combined with --shard"
            ),
            (
                ["--shard.from-pod-name=cckm-exporter-4", "--total-shards=4"],
                "--shard.from-pod-name: must be less than --total-shards (4), got 4"
            ),
        ])
    func badShardFlags(arguments: [String], message: String) {
        #expect(flagError(target + arguments, environment: password) == message)
    }
}
