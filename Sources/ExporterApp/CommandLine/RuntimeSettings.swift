import CMWire
import ExporterConfig
import Foundation
import JobMetrics
import LineLogging
import Logging

/// Validated command line: where the configuration comes from, how to serve and log.
public struct RuntimeSettings: @unchecked Sendable {
    // @unchecked: `options` is a parsed, never-mutated value (ArgumentParser's property
    // wrappers are not marked Sendable).
    /// Where targets come from.
    public enum Source: Sendable {
        case file(path: String)
        case flags
        case demo
    }

    public var source: Source
    public var listenHost: String?
    public var listenPort: UInt16
    public var telemetryPath: String
    public var webConfigFile: String?
    /// `--web.max-connections`, `--web.max-connections-per-ip` (0: none),
    /// `--web.connection-timeout`, `--web.max-request-bytes`.
    public var webMaxConnections: Int
    public var webMaxConnectionsPerIP: Int
    public var webConnectionTimeout: Duration
    public var webMaxRequestBytes: Int
    /// `--web.request-header-timeout`: time a request has to arrive whole.
    public var webRequestHeaderTimeout: Duration
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var pollInterval: Duration
    /// The `--poll.timeout` given, or nil: then 20s, or the poll interval when shorter.
    public var pollTimeout: Duration?
    /// `--poll.full-resync-interval` (the file's `full_resync_interval` wins over it).
    public var fullResyncInterval: Duration
    /// `--poll.walk-timeout` (the file's `walk_timeout` wins over it).
    public var walkTimeout: Duration
    /// `--cm.max-*`: what CM data may cost.
    public var limits: DataLimits
    /// `--shard`, `--total-shards`, `--shard.from-pod-name` (the file's `shard` and
    /// `total_shards` win over the first two).
    public var sharding: ShardDefaults
    public var configCheck: Bool
    let options: ExporterOptions
    let environment: [String: String]

    /// Validates flags that need no file access. Errors name the flag.
    public init(options: ExporterOptions, environment: [String: String]) throws(ConfigurationError) {
        self.options = options
        self.environment = environment
        configCheck = options.configCheck
        if options.demo && (options.configFile != nil || options.usesTargetFlags) {
            throw ConfigurationError(
                field: "--demo", problem: "cannot be combined with --config.file or --cm.* flags")
        }
        if options.configFile != nil && options.usesTargetFlags {
            throw ConfigurationError(field: "--config.file", problem: "cannot be combined with --cm.* flags")
        }
        if let path = options.configFile {
            source = .file(path: path)
        } else if options.demo {
            source = .demo
        } else if options.cmURL != nil {
            source = .flags
        } else {
            throw ConfigurationError(
                field: "--cm.url", problem: "is required (or --config.file, or --demo to try the exporter)")
        }
        (listenHost, listenPort) = try Self.listenAddress(options.listenAddress)
        guard options.telemetryPath.hasPrefix("/"), options.telemetryPath.count > 1,
            !["/-/healthy", "/-/ready", "/-/reload"].contains(options.telemetryPath)
        else {
            throw ConfigurationError(
                field: "--web.telemetry-path",
                problem: "must be a path like /metrics, got \"\(options.telemetryPath)\"")
        }
        telemetryPath = options.telemetryPath
        webConfigFile = options.webConfigFile
        (webMaxConnections, webMaxConnectionsPerIP, webConnectionTimeout, webMaxRequestBytes) =
            try Self.serverLimits(options)
        webRequestHeaderTimeout = try Self.requestHeaderTimeout(options.webRequestHeaderTimeout)
        guard let level = Self.levels[options.logLevel] else {
            throw ConfigurationError(
                field: "--log.level",
                problem: "must be debug, info, warn or error, got \"\(options.logLevel)\"")
        }
        logLevel = level
        guard let format = LogFormat(rawValue: options.logFormat) else {
            throw ConfigurationError(
                field: "--log.format", problem: "must be logfmt or json, got \"\(options.logFormat)\"")
        }
        logFormat = format
        pollInterval = try Self.duration(options.pollInterval, flag: "--poll.interval")
        pollTimeout = try options.pollTimeout.map { text throws(ConfigurationError) in
            try Self.duration(text, flag: "--poll.timeout")
        }
        fullResyncInterval = try Self.duration(
            options.pollFullResyncInterval, flag: "--poll.full-resync-interval")
        walkTimeout = try Self.duration(options.pollWalkTimeout, flag: "--poll.walk-timeout")
        for (flag, value, minimum) in [
            ("--cm.max-statuses", options.cmMaxStatuses, KnownJobStatus.allCases.count + 1),
            ("--cm.max-region-series", options.cmMaxRegionSeries, 0), ("--cm.max-jobs", options.cmMaxJobs, 1),
            ("--cm.max-response-bytes", options.cmMaxResponseBytes, 4096),
        ] where value < minimum {
            throw ConfigurationError(field: flag, problem: "must be at least \(minimum), got \(value)")
        }
        limits = DataLimits(
            listing: ListingLimits(
                statuses: options.cmMaxStatuses, regionSeries: options.cmMaxRegionSeries,
                jobs: options.cmMaxJobs),
            responseBytes: options.cmMaxResponseBytes)
        guard walkTimeout > .zero else {
            throw ConfigurationError(field: "--poll.walk-timeout", problem: "must be greater than 0")
        }
        sharding = try Self.shardDefaults(options)
    }

    private static func serverLimits(_ options: ExporterOptions)
        throws(ConfigurationError) -> (Int, Int, Duration, Int)
    {
        guard (1...100_000).contains(options.webMaxConnections) else {
            throw ConfigurationError(
                field: "--web.max-connections",
                problem: "must be 1 to 100000, got \(options.webMaxConnections)")
        }
        guard (0...options.webMaxConnections).contains(options.webMaxConnectionsPerIP) else {
            throw ConfigurationError(
                field: "--web.max-connections-per-ip",
                problem:
                    "must be 0 (no limit) to --web.max-connections, got \(options.webMaxConnectionsPerIP)")
        }
        let timeout = try duration(options.webConnectionTimeout, flag: "--web.connection-timeout")
        guard timeout >= .seconds(1), timeout <= .seconds(3600) else {
            throw ConfigurationError(
                field: "--web.connection-timeout",
                problem: "must be 1s to 1h, got \"\(options.webConnectionTimeout)\"")
        }
        guard (4096...16 << 20).contains(options.webMaxRequestBytes) else {
            throw ConfigurationError(
                field: "--web.max-request-bytes",
                problem: "must be 4096 to 16777216, got \(options.webMaxRequestBytes)")
        }
        return (
            options.webMaxConnections, options.webMaxConnectionsPerIP, timeout, options.webMaxRequestBytes
        )
    }

    private static func requestHeaderTimeout(_ text: String) throws(ConfigurationError) -> Duration {
        let timeout = try duration(text, flag: "--web.request-header-timeout")
        guard timeout >= .seconds(1), timeout <= .seconds(3600) else {
            throw ConfigurationError(
                field: "--web.request-header-timeout", problem: "must be 1s to 1h, got \"\(text)\"")
        }
        return timeout
    }

    private static let levels: [String: Logger.Level] = [
        "debug": .debug, "info": .info, "warn": .warning, "warning": .warning, "error": .error,
    ]

    private static func duration(_ text: String, flag: String) throws(ConfigurationError) -> Duration {
        guard let value = PrometheusDuration.parse(text) else {
            throw ConfigurationError(
                field: flag, problem: "must be a duration like 30s or 1m, got \"\(text)\"")
        }
        return value
    }

    /// Splits `host:port` (`:7256`, `127.0.0.1:7256`, `[::1]:7256`, `localhost:7256`).
    static func listenAddress(_ text: String) throws(ConfigurationError) -> (String?, UInt16) {
        let problem = ConfigurationError(
            field: "--web.listen-address",
            problem: "must be [host]:port with a numeric host, got \"\(text)\"")
        guard let colon = text.lastIndex(of: ":") else { throw problem }
        var host = String(text[..<colon])
        guard let port = UInt16(text[text.index(after: colon)...]) else { throw problem }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        if host.isEmpty { return (nil, port) }
        let looksNumeric = host.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
        guard looksNumeric else { throw problem }
        return (host, port)
    }

    /// The targets from the file or the flags (`demoURL` is the simulator's, for `--demo`).
    public func configuration(demo: (url: String, username: String, password: String)? = nil)
        throws(ConfigurationError) -> ExporterConfiguration
    {
        switch source {
        case .file(let path):
            return try ConfigurationLoader.load(
                path: path, defaults: (pollInterval, pollTimeout),
                fullResyncInterval: fullResyncInterval, walkTimeout: walkTimeout, limits: limits,
                environment: environment, sharding: sharding)
        case .flags, .demo:
            var draft = TargetDraft(fieldName: Self.flagName)
            if let demo {
                draft.name = "demo"
                draft.url = demo.url
                draft.username = demo.username
                draft.passwordFromEnvironment = demo.password
                draft.clouds =
                    options.cmClouds == "aws" ? ["aws", "azure", "google"] : Self.split(options.cmClouds)
            } else {
                draft.name = options.cmName
                draft.url = options.cmURL
                draft.username = options.cmUsername
                draft.domain = options.cmDomain
                draft.authDomain = options.cmAuthDomain
                draft.passwordFile = options.cmPasswordFile
                draft.refreshTokenFile = options.cmRefreshTokenFile
                draft.passwordFromEnvironment = environment["CCKM_PASSWORD"]
                draft.refreshTokenFromEnvironment = environment["CCKM_REFRESH_TOKEN"]
                draft.caFile = options.cmCAFile
                draft.insecureSkipVerify = options.cmInsecureSkipVerify
                options.clientCertificate.apply(to: &draft)
                draft.clouds = Self.split(options.cmClouds)
            }
            draft.pageSize = options.cmPageSize
            let configuration = ExporterConfiguration(
                pollInterval: pollInterval,
                pollTimeout: pollTimeout ?? ExporterConfiguration.defaultPollTimeout(interval: pollInterval),
                targets: [try draft.validate()],
                fullResyncInterval: fullResyncInterval, walkTimeout: walkTimeout, limits: limits,
                sharding: sharding.assignment)
            try ConfigurationValidation.check(
                configuration, targetsField: "--cm.url",
                intervalField: "--poll.interval", timeoutField: "--poll.timeout")
            return configuration
        }
    }

    private static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// How a target field is spelled on the command line.
    private static let flagName: @Sendable (String) -> String = { key in
        switch key {
        case "auth.password_file": return "--cm.password-file"
        case "auth.refresh_token_file": return "--cm.refresh-token-file"
        case "auth.username": return "--cm.username"
        case "tls.ca_file": return "--cm.ca-file"
        case "page_size": return "--cm.page-size"
        default: return ClientCertificateOptions.flagName(key) ?? "--cm.\(key)"
        }
    }
}
