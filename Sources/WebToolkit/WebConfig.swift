/// The exporter-toolkit web configuration (`--web.config.file`): TLS, basic auth and extra
/// response headers, validated, with every file it names already read.
///
/// Built by ``WebConfigLoader``; applied by ``WebConfigGate`` (auth, headers) and
/// ``WebConfigListener`` (TLS). The default value serves plain HTTP without auth.
public struct WebConfig: Sendable, Equatable, CustomStringConvertible {
    /// TLS settings; nil serves plain HTTP.
    public var tls: WebTLSConfig?
    /// Headers added to every response (only those exporter-toolkit allows), in file order.
    public var headers: [WebHeader]
    /// User → bcrypt hash. Empty: no basic auth.
    public var basicAuthUsers: [String: String]
    /// `healthy_without_auth` (an extension of exporter-toolkit's format): `/-/healthy` answers without basic
    /// auth or client certificate, for load balancers and liveness probes. Off by default.
    public var healthyWithoutAuth: Bool
    /// Things worth a line in the log at load (how the file is served where it could surprise).
    public var notes: [String]
    /// `rate_limit`; nil: none.
    public var rateLimit: WebRateLimit?

    public init(
        tls: WebTLSConfig? = nil, headers: [WebHeader] = [], basicAuthUsers: [String: String] = [:],
        healthyWithoutAuth: Bool = false, notes: [String] = [], rateLimit: WebRateLimit? = nil
    ) {
        self.tls = tls
        self.headers = headers
        self.basicAuthUsers = basicAuthUsers
        self.healthyWithoutAuth = healthyWithoutAuth
        self.notes = notes
        self.rateLimit = rateLimit
    }

    /// A summary for logs: names and modes, never keys or hashes.
    public var description: String {
        let tlsText = tls.map { "on (\($0))" } ?? "off"
        let users = basicAuthUsers.keys.sorted().joined(separator: ",")
        return "tls=\(tlsText) basic_auth_users=[\(users)] headers=\(headers.map(\.name))"
            + " healthy_without_auth=\(healthyWithoutAuth)"
            + (rateLimit.map { " rate_limit=\($0.burst)/\($0.interval)" } ?? "")
    }
}

/// One configured response header.
public struct WebHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
