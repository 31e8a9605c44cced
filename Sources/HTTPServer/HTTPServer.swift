import CMicroHTTPD
import Foundation
import Synchronization

/// An HTTP server on libmicrohttpd: its own poll() worker threads call a synchronous ``Handler``
/// (or a ``ReplyHandler`` that may answer later from another thread).
///
/// The handler runs on libmicrohttpd's threads, never on the main actor, so it must only
/// read `Sendable` state (a lock-protected snapshot, say) and return quickly. A
/// ``ConnectionReaper`` closes connections whose request does not arrive in time.
public final class HTTPServer: Sendable {
    /// Answers one request. Called concurrently from several threads.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
    /// Answers one request now or later (``HTTPReply``). Called concurrently from several threads.
    public typealias ReplyHandler = @Sendable (HTTPRequest) -> HTTPReply

    /// Why a server could not start.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port the server listens on (the chosen one when the options said 0).
    public let port: UInt16
    /// The running daemon; nil once stopped. Every C call on it happens under this lock, so
    /// none can run after `cmhd_stop` freed it.
    private let daemon: Mutex<DaemonHandle?>
    /// Held for a whole ``shutdown(gracePeriod:)``: a second caller waits for the first.
    private let stopping = Mutex(())
    /// Until when the shutdown in progress waits for open connections; a later call with a
    /// shorter grace period brings it forward.
    private let graceDeadline = Mutex<ContinuousClock.Instant?>(nil)
    /// Released exactly once, right after the daemon stopped (no callback can run then).
    private let context: Unmanaged<MicroHTTPDBoundary.Context>
    private let reaper: ConnectionReaper

    /// Starts listening at once. Throws ``StartError`` naming the address when binding fails.
    public convenience init(
        options: HTTPServerOptions, handler: @escaping Handler,
        errorLog: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        try self.init(options: options, replyHandler: { .response(handler($0)) }, errorLog: errorLog)
    }

    /// Starts listening at once, answering with `replyHandler`. Throws ``StartError``.
    public init(
        options: HTTPServerOptions, replyHandler: @escaping ReplyHandler,
        errorLog: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        if options.tls != nil && cmhd_supports_tls() == 0 {
            throw StartError(description: "this libmicrohttpd was built without TLS support")
        }
        let context = Unmanaged.passRetained(
            MicroHTTPDBoundary.Context(handler: replyHandler, errorLog: errorLog))
        guard let server = MicroHTTPDBoundary.start(options: options, context: context) else {
            let reason = String(cString: strerror(errno))
            context.release()
            throw StartError(
                description: "cannot listen on \(options.host ?? ""):\(options.port): \(reason)")
        }
        self.daemon = Mutex(DaemonHandle(server))
        self.context = context
        self.port = cmhd_bound_port(server)
        self.reaper = ConnectionReaper(server: server, options: options)
    }

    /// A server never shut down stops here, at once: connections still open are closed.
    deinit {
        if let handle = daemon.withLock({ $0 }) { stop(handle) }
    }

    /// Connections open right now; 0 once the server is stopped.
    public var openConnections: Int {
        daemon.withLock { handle in handle.map { Int(cmhd_current_connections($0.pointer)) } ?? 0 }
    }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, then closes
    /// everything. Safe to call more than once and from several threads: later calls return
    /// once the daemon is stopped, and the shortest grace period asked for wins. Not from this
    /// server's own handler, whose thread the stop waits for.
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        let requested = ContinuousClock.now + gracePeriod
        graceDeadline.withLock { $0 = min($0 ?? requested, requested) }
        stopping.withLock { _ in
            guard let running = daemon.withLock({ $0 }) else { return }
            cmhd_quiesce(running.pointer)
            while openConnections > 0 && ContinuousClock.now < graceDeadline.withLock({ $0 ?? requested }) {
                Thread.sleep(forTimeInterval: 0.02)
            }
            daemon.withLock { $0 = nil }
            stop(running)
        }
    }

    /// Frees the daemon and the callbacks' context; `handle` is no longer reachable. Deferred
    /// requests are waited for first (libmicrohttpd aborts when stopped with a parked
    /// connection); a responder that never answers leaves the daemon running rather than
    /// crash the process.
    private func stop(_ handle: DaemonHandle) {
        let boundary = context.takeUnretainedValue()
        let last = ContinuousClock.now + .seconds(30)
        while boundary.deferredRequests > 0 && ContinuousClock.now < last {
            Thread.sleep(forTimeInterval: 0.01)
        }
        reaper.stop()
        if boundary.deferredRequests > 0 {
            boundary.errorLog("deferred requests never answered: the server is left running")
            return
        }
        cmhd_stop(handle.pointer)
        context.release()
    }
}

/// The daemon pointer, owned by one ``HTTPServer``; libmicrohttpd's calls on it are thread-safe.
private struct DaemonHandle: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<cmhd_server>
    init(_ pointer: UnsafeMutablePointer<cmhd_server>) { self.pointer = pointer }
}
