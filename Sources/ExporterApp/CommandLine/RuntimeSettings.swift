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
        limits = try Self.dataLimits(options)
        guard walkTimeout > .zero else {
            throw ConfigurationError(field: "--poll.walk-timeout", problem: "must be greater than 0")
        }
        sharding = try Self.shardDefaults(options)
    }

    private static let levels: [String: Logger.Level] = [
        "debug": .debug, "info": .info, "warn": .warning, "warning": .warning, "error": .error,
    ]
}
