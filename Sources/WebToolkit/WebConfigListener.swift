import Foundation
import HTTPServer
import Synchronization

/// A listening socket under a ``WebConfig``: serves plain HTTP or TLS, puts a
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
    /// The daemon serving now and those still retiring; nil and empty once
    /// ``shutdown(gracePeriod:)`` ran, which also sets `stopped` so that a concurrent
    /// ``apply(_:)`` cannot install a successor after it.
    private let serving: Mutex<Serving>

    private struct Serving {
        var server: HTTPServer?
        /// Replaced daemons finishing their keep-alive connections (up to 2 s).
        var retiring: [HTTPServer] = []
        var stopped = false
    }

    /// Starts serving `handler` behind `config`. `reloadable` lets later TLS changes take over
    /// the port (it sets `SO_REUSEPORT`); refused credentials count in `authFailures`; `realm`
    /// is named in the basic-auth challenge (``WebConfigGate/challenge(realm:)``).
    /// Throws ``HTTPServer/StartError``.
    public init(
        options: HTTPServerOptions, config: WebConfig, reloadable: Bool,
        authFailures: AuthFailureCounter = AuthFailureCounter(), realm: String? = nil,
        handler: @escaping HTTPServer.Handler,
        errorLog: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        var options = options
        options.reusePort = reloadable
        let gate = WebConfigGate(config: config, failures: authFailures, realm: realm, next: handler)
        let first = try Self.startServer(options, config, gate, errorLog)
        self.port = first.port
        options.port = first.port
        self.options = options
        self.gate = gate
        self.errorLog = errorLog
        self.serving = Mutex(Serving(server: first))
    }

    /// Puts `config` in force. Throws ``WebConfigError`` (field `tls_server_config`) when the
    /// TLS daemon for it cannot start; the previous configuration then stays. After
    /// ``shutdown(gracePeriod:)`` it does nothing: no daemon is started that nobody would stop.
    public func apply(_ config: WebConfig) throws(WebConfigError) {
        if serving.withLock({ $0.stopped }) { return }
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
        let installed = serving.withLock { serving -> (retired: HTTPServer?, done: Bool) in
            if serving.stopped { return (nil, false) }
            let retired = serving.server
            serving.server = successor
            if let retired { serving.retiring.append(retired) }
            return (retired, true)
        }
        guard installed.done else {
            // shutdown ran while the successor was starting: it must not outlive the listener.
            successor.shutdown(gracePeriod: .zero)
            return
        }
        // Auth and headers are shared by both daemons; the client-certificate policy is each
        // daemon's own (see startServer), so the old daemon's keep-alive connections keep theirs.
        gate.update(config)
        // Retire on another thread: a reload may come from a request on the old daemon's own
        // thread, which cannot wait for that daemon to stop.
        if let retired = installed.retired {
            Thread.detachNewThread { [weak self] in
                retired.shutdown(gracePeriod: .seconds(2))
                self?.serving.withLock { $0.retiring.removeAll { $0 === retired } }
            }
        }
    }

    /// Connections open on the daemon serving now (not on one being retired); 0 after
    /// ``shutdown(gracePeriod:)``.
    public var openConnections: Int { serving.withLock { $0.server?.openConnections ?? 0 } }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, closes; a
    /// daemon still retiring after a TLS change is stopped too (it had its grace meanwhile),
    /// so nothing of this listener serves once this returns. Later calls, and ``apply(_:)``
    /// calls, do nothing.
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        let (current, retiring) = serving.withLock { serving in
            defer {
                serving.server = nil
                serving.retiring = []
                serving.stopped = true
            }
            return (serving.server, serving.retiring)
        }
        current?.shutdown(gracePeriod: gracePeriod)
        for server in retiring { server.shutdown(gracePeriod: .zero) }
    }

    private static func startServer(
        _ options: HTTPServerOptions, _ config: WebConfig, _ gate: WebConfigGate,
        _ errorLog: @escaping @Sendable (String) -> Void
    ) throws -> HTTPServer {
        var options = options
        options.tls = config.tls.map {
            HTTPServerOptions.TLSSettings(
                certificatePEM: $0.certificatePEM, keyPEM: $0.keyPEM,
                clientCAPEM: $0.clientTrustPEM,
                priorities: $0.gnutlsPriorities)
        }
        // The TLS settings are this daemon's for its whole life, so its connections are
        // judged by its own client-certificate policy, whatever a later apply puts in force.
        let daemonTLS = config.tls
        return try HTTPServer(
            options: options, replyHandler: { gate.reply($0, servedWith: daemonTLS) }, errorLog: errorLog)
    }
}
