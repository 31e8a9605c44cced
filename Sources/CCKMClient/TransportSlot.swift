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

    /// Replaces the transport by a new one with the same settings presenting `pair` (its bytes,
    /// as checked, not the files: a new connection never reads a file mid-rotation); requests
    /// under way on the old one finish there.
    func present(_ pair: ClientKeyPair) {
        transport.withLock { transport in
            var settings = transport.settings
            settings.clientCertificatePEM = pair.certificate
            settings.clientKeyPEM = pair.key
            settings.clientKeyPassword = pair.password
            transport = HTTPTransport(settings: settings)
        }
    }
}
