import Synchronization

/// The transport a CM's requests go through, replaceable while it runs: after a client
/// certificate rotation the next login goes out on a new ``HTTPTransport`` (a new libcurl
/// handle: no connection and no TLS session of the old certificate is reused), and so does
/// every request after it.
final class TransportSlot: Sendable {
    private let transport: Mutex<HTTPTransport>

    init(_ transport: HTTPTransport) { self.transport = Mutex(transport) }

    /// The transport to send with now.
    var current: HTTPTransport { transport.withLock { $0 } }

    /// Replaces the transport by a new one with the same settings but `keyPassword` (nil:
    /// unchanged); requests under way on the old one finish there.
    func renew(keyPassword: String?) {
        transport.withLock { transport in
            var settings = transport.settings
            if let keyPassword { settings.clientKeyPassword = keyPassword }
            transport = HTTPTransport(settings: settings)
        }
    }
}
