import CMicroHTTPD
import Foundation

/// An HTTP server on libmicrohttpd: its own poll() worker threads call a synchronous ``Handler``.
///
/// The handler runs on libmicrohttpd's threads, never on the main actor, so it must only
/// read `Sendable` state (a lock-protected snapshot, say) and return quickly.
public final class HTTPServer: Sendable {
    /// Answers one request. Called concurrently from several threads.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// Why a server could not start.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port the server listens on (the chosen one when the options said 0).
    public let port: UInt16
    private let daemon: DaemonHandle
    private let context: Unmanaged<MicroHTTPDBoundary.Context>

    /// Starts listening at once. Throws ``StartError`` naming the address when binding fails.
    public init(
        options: HTTPServerOptions, handler: @escaping Handler,
        errorLog: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        if options.tls != nil && cmhd_supports_tls() == 0 {
            throw StartError(description: "this libmicrohttpd was built without TLS support")
        }
        let context = Unmanaged.passRetained(
            MicroHTTPDBoundary.Context(handler: handler, errorLog: errorLog))
        guard let server = MicroHTTPDBoundary.start(options: options, context: context) else {
            let reason = String(cString: strerror(errno))
            context.release()
            throw StartError(
                description: "cannot listen on \(options.host ?? ""):\(options.port): \(reason)")
        }
        self.daemon = DaemonHandle(server)
        self.context = context
        self.port = cmhd_bound_port(server)
    }

    /// Connections open right now.
    public var openConnections: Int { Int(cmhd_current_connections(daemon.pointer)) }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, then closes
    /// everything. Call once.
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        cmhd_quiesce(daemon.pointer)
        let deadline = ContinuousClock.now + gracePeriod
        while openConnections > 0 && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        cmhd_stop(daemon.pointer)
        context.release()
    }
}

/// The daemon pointer, owned by one ``HTTPServer``; libmicrohttpd's calls on it are thread-safe.
private struct DaemonHandle: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<cmhd_server>
    init(_ pointer: UnsafeMutablePointer<cmhd_server>) { self.pointer = pointer }
}
