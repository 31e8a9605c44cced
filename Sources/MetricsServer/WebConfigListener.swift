import Foundation
import HTTPServer
import Synchronization

/// The exporter's listening socket under a ``WebConfig``: serves plain HTTP or TLS, puts a
/// ``WebConfigGate`` in front of the routes, and applies a new configuration without dropping
/// the port.
///
/// Auth and headers change in place. TLS settings are fixed per libmicrohttpd daemon, so a
/// TLS change starts a successor daemon on the same port (`SO_REUSEPORT`) and only then
/// retires the old one; when the successor cannot start, the old one keeps serving.
public final class WebConfigListener: Sendable {
    /// The port served on.
    public let port: UInt16
    /// The gate in front of the routes (its ``WebConfigGate/config`` is the one in force).
    public let gate: WebConfigGate
    private let options: HTTPServerOptions
    private let errorLog: @Sendable (String) -> Void
    private let server: Mutex<HTTPServer?>

    /// Starts serving `handler` behind `config`. `reloadable` lets later TLS changes take over
    /// the port (it sets `SO_REUSEPORT`). Throws ``HTTPServer/StartError``.
    public init(
        options: HTTPServerOptions, config: WebConfig, reloadable: Bool,
        handler: @escaping HTTPServer.Handler,
        errorLog: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        var options = options
        options.reusePort = reloadable
        let gate = WebConfigGate(config: config, next: handler)
        let first = try Self.startServer(options, config, gate, errorLog)
        self.port = first.port
        options.port = first.port
        self.options = options
        self.gate = gate
        self.errorLog = errorLog
        self.server = Mutex(first)
    }

    /// Puts `config` in force. Throws ``WebConfigError`` (field `tls_server_config`) when the
    /// TLS daemon for it cannot start; the previous configuration then stays.
    public func apply(_ config: WebConfig) throws(WebConfigError) {
        let previous = gate.config
        if previous == config { return }
        if previous.tls == config.tls {
            gate.update(config)
            return
        }
        guard options.reusePort else {
            throw WebConfigError(
                field: "tls_server_config",
                problem: "cannot change: the server was started without a web configuration file")
        }
        let successor: HTTPServer
        do {
            successor = try Self.startServer(options, config, gate, errorLog)
        } catch {
            throw WebConfigError(field: "tls_server_config", problem: "cannot serve with it: \(error)")
        }
        gate.update(config)
        let retired = server.withLock { current in
            defer { current = successor }
            return current
        }
        // Retire on another thread: a reload may come from a request on the old daemon's own
        // thread, which cannot wait for that daemon to stop.
        if let retired {
            Thread.detachNewThread { retired.shutdown(gracePeriod: .seconds(2)) }
        }
    }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, closes.
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        let current = server.withLock { current in
            defer { current = nil }
            return current
        }
        current?.shutdown(gracePeriod: gracePeriod)
    }

    private static func startServer(
        _ options: HTTPServerOptions, _ config: WebConfig, _ gate: WebConfigGate,
        _ errorLog: @escaping @Sendable (String) -> Void
    ) throws -> HTTPServer {
        var options = options
        options.tls = config.tls.map {
            HTTPServerOptions.TLSSettings(
                certificatePEM: $0.certificatePEM, keyPEM: $0.keyPEM,
                clientCAPEM: $0.clientAuth == .noClientCert ? nil : $0.clientCAPEM,
                priorities: $0.gnutlsPriorities)
        }
        return try HTTPServer(options: options, handler: { gate.handle($0) }, errorLog: errorLog)
    }
}
