import Synchronization

/// What a ``HTTPServer/ReplyHandler`` answers: a response now, or one that another thread
/// delivers later.
///
/// A deferred request parks its connection (libmicrohttpd's suspend/resume): the worker
/// thread goes on serving other connections meanwhile, so slow work such as a bcrypt check
/// never makes other clients wait.
public enum HTTPReply: Sendable {
    /// Answer with this response now.
    case response(HTTPResponse)
    /// Park the connection and call the closure (still on the worker thread) with a
    /// responder; ``HTTPResponder/respond(_:)`` must be called once, from any thread.
    case deferred(@Sendable (HTTPResponder) -> Void)
}

/// Delivers the response of a deferred request (``HTTPReply/deferred(_:)``). Only the first
/// ``respond(_:)`` counts.
public final class HTTPResponder: Sendable {
    private let used = Atomic<Bool>(false)
    private let deliver: @Sendable (HTTPResponse) -> Void

    init(deliver: @escaping @Sendable (HTTPResponse) -> Void) {
        self.deliver = deliver
    }

    /// Sends `response` on the parked connection.
    public func respond(_ response: HTTPResponse) {
        guard !used.exchange(true, ordering: .acquiringAndReleasing) else { return }
        deliver(response)
    }
}
