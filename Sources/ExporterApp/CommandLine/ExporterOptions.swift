import ArgumentParser
import ExporterConfig
import JobMetrics

/// The command line, Prometheus-style (`--group.name=value`). Each flag is documented in
/// `--help` and in README.md; ``RuntimeSettings/init(options:environment:)`` validates them.
public struct ExporterOptions: ParsableArguments {
    public init() {}

    @Option(
        name: .customLong("config.file"),
        help: ArgumentHelp(
            "YAML file with several targets (see README). Exclusive with --cm.*.", valueName: "path"))
    var configFile: String?

    @Option(
        name: .customLong("cm.url"),
        help: ArgumentHelp(
            "Single target: CipherTrust Manager base URL, e.g. https://cm.example.com.", valueName: "url"))
    var cmURL: String?

    @Option(
        name: .customLong("cm.name"),
        help: ArgumentHelp("Value of the cm label (default: the URL's host).", valueName: "name"))
    var cmName: String?

    @Option(name: .customLong("cm.username"), help: ArgumentHelp("User to log in as.", valueName: "user"))
    var cmUsername: String?

    @Option(
        name: .customLong("cm.domain"), help: ArgumentHelp("Login domain (optional).", valueName: "domain"))
    var cmDomain: String?

    @Option(
        name: .customLong("cm.auth-domain"),
        help: ArgumentHelp(
            "Domain the user lives in, when not the login domain (optional; sent as auth_domain).",
            valueName: "domain"))
    var cmAuthDomain: String?

    @Option(
        name: .customLong("cm.password-file"),
        help: ArgumentHelp("File holding the password (else env CCKM_PASSWORD).", valueName: "path"))
    var cmPasswordFile: String?

    @Option(
        name: .customLong("cm.refresh-token-file"),
        help: ArgumentHelp("File holding a refresh token (else env CCKM_REFRESH_TOKEN).", valueName: "path"))
    var cmRefreshTokenFile: String?

    @Option(
        name: .customLong("cm.ca-file"),
        help: ArgumentHelp("PEM file of the CA that signed the CM's certificate.", valueName: "path"))
    var cmCAFile: String?

    @Flag(
        name: .customLong("cm.insecure-skip-verify"),
        help: "Do not verify the CM's TLS certificate (logged as a warning).")
    var cmInsecureSkipVerify = false

    @OptionGroup var clientCertificate: ClientCertificateOptions

    @Option(
        name: .customLong("cm.clouds"),
        help: ArgumentHelp(
            "Comma-separated listings to poll: aws, aws-custom-key-stores, azure, azure-certificates, azure-secrets, google, oci, sap, sfdc-keys, sfdc-certificates.",
            valueName: "list"))
    var cmClouds = "aws"

    @Option(name: .customLong("cm.page-size"), help: ArgumentHelp("Jobs asked for per page.", valueName: "n"))
    var cmPageSize = 500

    @Option(
        name: .customLong("poll.interval"),
        help: ArgumentHelp("Time between polls of a CM.", valueName: "duration"))
    var pollInterval = "30s"

    @Option(
        name: .customLong("poll.timeout"),
        help: ArgumentHelp(
            "Budget of one poll of a listing (pages, retries, logins); default 20s, or the poll interval when that is shorter.",
            valueName: "duration"))
    var pollTimeout: String?

    @Option(
        name: .customLong("poll.full-resync-interval"),
        help: ArgumentHelp(
            "Time between consistency checks of each listing's totals (a mismatch starts a complete walk); polls in between fetch only new and running jobs. 0: every poll lists everything.",
            valueName: "duration"))
    var pollFullResyncInterval = "10m"

    @Option(
        name: .customLong("cm.max-statuses"),
        help: ArgumentHelp(
            "Distinct overall_status values per listing (the documented four and other included); beyond it new ones fold into status=\"other\".",
            valueName: "n"))
    var cmMaxStatuses = ListingLimits.defaultStatuses

    @Option(
        name: .customLong("cm.max-region-series"),
        help: ArgumentHelp(
            "cckm_sync_region_in_progress series per listing (cckm_sync_regions_in_progress stays exact).",
            valueName: "n"))
    var cmMaxRegionSeries = ListingLimits.defaultRegionSeries

    @Option(
        name: .customLong("cm.max-jobs"),
        help: ArgumentHelp("Jobs held per listing; a complete walk ends there.", valueName: "n"))
    var cmMaxJobs = ListingLimits.defaultJobs

    @Option(
        name: .customLong("cm.max-response-bytes"),
        help: ArgumentHelp(
            "Largest answer from CM (after decompression); a larger one fails the poll (reason decode).",
            valueName: "bytes"))
    var cmMaxResponseBytes = DataLimits.defaultResponseBytes

    @Option(
        name: .customLong("poll.walk-timeout"),
        help: ArgumentHelp(
            "Budget of one complete walk of a listing (not bound by --poll.timeout; a longer walk fails and starts again).",
            valueName: "duration"))
    var pollWalkTimeout = "1h"

    @Option(
        name: .customLong("web.listen-address"),
        help: ArgumentHelp("Address to serve on: :7256, 127.0.0.1:7256 or [::1]:7256.", valueName: "address"))
    var listenAddress = ":7256"

    @Option(
        name: .customLong("web.telemetry-path"), help: ArgumentHelp("Path of the metrics.", valueName: "path")
    )
    var telemetryPath = "/metrics"

    @Option(
        name: .customLong("web.config.file"),
        help: ArgumentHelp("Exporter-toolkit web configuration (TLS, basic auth).", valueName: "path"))
    var webConfigFile: String?

    @Option(
        name: .customLong("web.max-connections"),
        help: ArgumentHelp(
            "Concurrent connections served; further ones wait in the kernel backlog until one closes.",
            valueName: "n"))
    var webMaxConnections = 512

    @Option(
        name: .customLong("web.max-connections-per-ip"),
        help: ArgumentHelp("Concurrent connections from one address (0: no limit).", valueName: "n"))
    var webMaxConnectionsPerIP = 64

    @Option(
        name: .customLong("web.connection-timeout"),
        help: ArgumentHelp("Idle or slow connections are closed after this long.", valueName: "duration"))
    var webConnectionTimeout = "30s"

    @Option(
        name: .customLong("web.request-header-timeout"),
        help: ArgumentHelp(
            "Time a request has to arrive whole (from the connection's start, or the previous answer on a kept-alive one); slower or idle connections are closed.",
            valueName: "duration"))
    var webRequestHeaderTimeout = "10s"

    @Option(
        name: .customLong("web.max-request-bytes"),
        help: ArgumentHelp(
            "Bytes a request may use for its line, headers and body; larger gets 413/431.", valueName: "n"))
    var webMaxRequestBytes = 65536

    @Option(
        name: .customLong("log.level"), help: ArgumentHelp("debug, info, warn or error.", valueName: "level"))
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: ArgumentHelp("logfmt or json.", valueName: "format"))
    var logFormat = "logfmt"

    @Option(
        name: .customLong("shard"),
        help: ArgumentHelp(
            "This replica's shard ordinal, 0 to --total-shards - 1: it polls only the CMs that shard owns (rendezvous hashing of the CM's name).",
            valueName: "n"))
    var shard: Int?

    @Option(
        name: .customLong("total-shards"),
        help: ArgumentHelp(
            "Replicas the configured CMs are split among (default 1: this one polls every CM).",
            valueName: "n"))
    var totalShards: Int?

    @Option(
        name: .customLong("shard.from-pod-name"),
        help: ArgumentHelp(
            "Take the shard ordinal from a StatefulSet pod name (cckm-exporter-3 is shard 3), e.g. $(POD_NAME) from the downward API.",
            valueName: "name"))
    var shardFromPodName: String?

    @Flag(
        name: .customLong("demo"),
        help: "Run against the built-in CipherTrust Manager simulator; no CM needed.")
    var demo = false

    @Flag(
        name: .customLong("config.check"),
        help: "Validate the configuration, print what would be polled, and exit.")
    var configCheck = false

    @Flag(name: .customLong("version"), help: "Print the version and exit.")
    var version = false

    /// True when any single-target flag was given.
    var usesTargetFlags: Bool {
        cmURL != nil || cmName != nil || cmUsername != nil || cmDomain != nil || cmAuthDomain != nil
            || cmPasswordFile != nil
            || cmRefreshTokenFile != nil || cmCAFile != nil || cmInsecureSkipVerify
            || clientCertificate.isUsed
    }
}
