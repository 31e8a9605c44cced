/// A `host:port` to listen on, as the `--listen-address` flag takes it:
/// `127.0.0.1:8080`, `[::1]:8080`, or `:8080` for every address.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// Numeric host; nil for every address.
    public var host: String?
    public var port: UInt16

    public init(host: String?, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; throws ``SimulatorError`` naming the flag's value when malformed.
    public init(parsing text: String) throws(SimulatorError) {
        guard let colon = text.lastIndex(of: ":"),
            let port = UInt16(text[text.index(after: colon)...])
        else {
            throw SimulatorError(
                "listen address \"\(text)\": expected HOST:PORT, e.g. 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.contains(":") || text.hasPrefix("[") else {
            throw SimulatorError(
                "listen address \"\(text)\": write IPv6 hosts in brackets, e.g. [::1]:8080")
        }
        self.host = host.isEmpty ? nil : host
        self.port = port
    }

    public var description: String {
        guard let host else { return ":\(port)" }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
