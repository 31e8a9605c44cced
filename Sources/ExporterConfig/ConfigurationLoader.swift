import Foundation
import StrictYAML
import Yams

/// Turns a YAML configuration file into a validated ``ExporterConfiguration``.
///
/// ```yaml
/// poll_interval: 30s
/// poll_timeout: 20s
/// full_resync_interval: 10m   # consistency checks; incremental polls in between; 0: every poll complete
/// walk_timeout: 1h            # budget of one complete walk of a listing
/// total_shards: 1             # replicas sharing this file (ShardAssignment); shard: this one's ordinal
/// targets:
///   - name: prod
///     url: https://cm-prod.example.com
///     clouds: [aws, azure]
///     page_size: 500
///     auth: {username: metrics, password_file: /etc/cckm_exporter/password, domain: root}
///     tls: {ca_file: /etc/cckm_exporter/ca.pem, insecure_skip_verify: false}
///   - name: certified        # a client certificate, no password: grant client_credential
///     url: https://cm-2.example.com
///     auth: {grant: client_credential}   # or user_certificate, password, refresh_token
///     tls: {client_cert_file: /etc/cckm_exporter/client.pem, client_key_file: /etc/cckm_exporter/client.key}
/// ```
public enum ConfigurationLoader {
    static let topLevelKeys: Set<String> = [
        "poll_interval", "poll_timeout", "full_resync_interval", "walk_timeout", "targets",
        "shard", "total_shards",
    ]
    static let targetKeys: Set<String> = ["name", "url", "clouds", "page_size", "auth", "tls"]
    static let authKeys: Set<String> = [
        "username", "domain", "auth_domain", "password_file", "refresh_token_file", "grant",
    ]
    static let tlsKeys: Set<String> = [
        "ca_file", "insecure_skip_verify", "client_cert_file", "client_key_file", "client_key_password_file",
    ]

    /// Reads and validates the file at `path`. `defaults` supplies poll settings the file
    /// leaves out: the command line's values (a nil timeout means 20s, or the interval when
    /// that is shorter).
    public static func load(
        path: String, defaults: (interval: Duration, timeout: Duration?),
        fullResyncInterval: Duration = ExporterConfiguration.defaultFullResyncInterval,
        walkTimeout: Duration = ExporterConfiguration.defaultWalkTimeout,
        limits: DataLimits = DataLimits(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sharding: ShardDefaults = ShardDefaults()
    ) throws(ConfigurationError) -> ExporterConfiguration {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else { throw ConfigurationError(field: "--config.file", problem: "cannot read \"\(path)\"") }
        return try parse(
            yaml: text, defaults: defaults, fullResyncInterval: fullResyncInterval,
            walkTimeout: walkTimeout, limits: limits, environment: environment, sharding: sharding)
    }

    /// Parses and validates YAML text.
    public static func parse(
        yaml: String, defaults: (interval: Duration, timeout: Duration?),
        fullResyncInterval: Duration = ExporterConfiguration.defaultFullResyncInterval,
        walkTimeout: Duration = ExporterConfiguration.defaultWalkTimeout,
        limits: DataLimits = DataLimits(),
        environment: [String: String] = [:],
        sharding: ShardDefaults = ShardDefaults()
    ) throws(ConfigurationError) -> ExporterConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigurationError(field: "targets", problem: "is required (the file is empty)")
            }
            root = node
        } catch let error as ConfigurationError {
            throw error
        } catch {
            let firstLine = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw ConfigurationError(field: "(yaml)", problem: firstLine)
        }
        let reader = StrictYAMLReader(environment: environment)
        let fields = try reader.mapping(root, at: "", allowedKeys: topLevelKeys)
        var configuration = ExporterConfiguration(
            pollInterval: defaults.interval, pollTimeout: .zero, targets: [],
            fullResyncInterval: fullResyncInterval, walkTimeout: walkTimeout, limits: limits)
        if let (node, path) = fields["poll_interval"] {
            configuration.pollInterval = try reader.duration(node, at: path)
        }
        if let (node, path) = fields["poll_timeout"] {
            configuration.pollTimeout = try reader.duration(node, at: path)
        } else {
            configuration.pollTimeout =
                defaults.timeout
                ?? ExporterConfiguration.defaultPollTimeout(interval: configuration.pollInterval)
        }
        if let (node, path) = fields["full_resync_interval"] {
            configuration.fullResyncInterval = try reader.duration(node, at: path)
        }
        if let (node, path) = fields["walk_timeout"] {
            configuration.walkTimeout = try reader.duration(node, at: path)
            guard configuration.walkTimeout > .zero else {
                throw ConfigurationError(field: path, problem: "must be greater than 0")
            }
        }
        configuration.sharding = try ShardSettings.read(fields, reader: reader, defaults: sharding)
        guard let (targetsNode, targetsPath) = fields["targets"] else {
            throw ConfigurationError(field: "targets", problem: "is required")
        }
        for (index, node) in try reader.sequence(targetsNode, at: targetsPath).enumerated() {
            let draft = try targetDraft(node, at: "targets[\(index)]", reader: reader)
            configuration.targets.append(try draft.validate())
        }
        try ConfigurationValidation.check(
            configuration, targetsField: "targets",
            intervalField: "poll_interval", timeoutField: "poll_timeout")
        return configuration
    }

    private static func targetDraft(_ node: Node, at path: String, reader: StrictYAMLReader)
        throws(ConfigurationError) -> TargetDraft
    {
        let fields = try reader.mapping(node, at: path, allowedKeys: targetKeys)
        var draft = TargetDraft(fieldName: { "\(path).\($0)" })
        if let (n, p) = fields["name"] { draft.name = try reader.string(n, at: p) }
        if let (n, p) = fields["url"] { draft.url = try reader.string(n, at: p) }
        if let (n, p) = fields["clouds"] {
            draft.clouds = try reader.strings(n, at: p, example: "[aws, azure]")
        }
        if let (n, p) = fields["page_size"] { draft.pageSize = try reader.int(n, at: p) }
        if let (authNode, authPath) = fields["auth"] {
            let auth = try reader.mapping(authNode, at: authPath, allowedKeys: authKeys)
            if let (n, p) = auth["username"] { draft.username = try reader.string(n, at: p) }
            if let (n, p) = auth["domain"] { draft.domain = try reader.string(n, at: p) }
            if let (n, p) = auth["auth_domain"] { draft.authDomain = try reader.string(n, at: p) }
            if let (n, p) = auth["password_file"] { draft.passwordFile = try reader.string(n, at: p) }
            if let (n, p) = auth["refresh_token_file"] {
                draft.refreshTokenFile = try reader.string(n, at: p)
            }
            if let (n, p) = auth["grant"] { draft.grant = try reader.string(n, at: p) }
        }
        if let (tlsNode, tlsPath) = fields["tls"] {
            let tls = try reader.mapping(tlsNode, at: tlsPath, allowedKeys: tlsKeys)
            if let (n, p) = tls["ca_file"] { draft.caFile = try reader.string(n, at: p) }
            if let (n, p) = tls["insecure_skip_verify"] {
                draft.insecureSkipVerify = try reader.bool(n, at: p)
            }
            if let (n, p) = tls["client_cert_file"] { draft.clientCertFile = try reader.string(n, at: p) }
            if let (n, p) = tls["client_key_file"] { draft.clientKeyFile = try reader.string(n, at: p) }
            if let (n, p) = tls["client_key_password_file"] {
                draft.clientKeyPasswordFile = try reader.string(n, at: p)
            }
        }
        return draft
    }
}

extension StrictYAMLReader {
    /// A Prometheus duration (``PrometheusDuration``).
    fileprivate func duration(_ node: Node, at path: String) throws(ConfigurationError) -> Duration {
        let text = try string(node, at: path)
        guard let value = PrometheusDuration.parse(text) else {
            throw ConfigurationError(
                field: path, problem: "must be a duration like 30s, 1m or 1h30m, got \"\(text)\"")
        }
        return value
    }
}
