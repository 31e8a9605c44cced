import ExporterConfig

/// The `--web.*` flags of the HTTP server: where it listens, the connections and request sizes
/// it takes, how long a request may take to arrive.
extension RuntimeSettings {
    static func serverLimits(_ options: ExporterOptions)
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

    static func requestHeaderTimeout(_ text: String) throws(ConfigurationError) -> Duration {
        let timeout = try duration(text, flag: "--web.request-header-timeout")
        guard timeout >= .seconds(1), timeout <= .seconds(3600) else {
            throw ConfigurationError(
                field: "--web.request-header-timeout", problem: "must be 1s to 1h, got \"\(text)\"")
        }
        return timeout
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
}
