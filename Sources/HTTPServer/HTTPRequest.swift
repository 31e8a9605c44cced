/// One HTTP request as the server hands it to a handler: plain Swift values, copied out of
/// libmicrohttpd before the handler runs, so it may be kept or sent across threads.
public struct HTTPRequest: Sendable {
    /// `GET`, `HEAD`, `POST`, … as the client sent it.
    public let method: String
    /// The path without the query string, e.g. `/metrics`.
    public let path: String
    /// Query arguments in the order sent, URL-decoded; a key may repeat.
    public let query: [QueryItem]
    /// Request headers with lower-cased names.
    public let headers: [String: String]
    /// The body (at most the server's `maxBodyBytes`).
    public let body: [UInt8]
    /// True when the client sent more than `maxBodyBytes`: answer 413.
    public let bodyTooLarge: Bool
    /// The peer's numeric address, e.g. `127.0.0.1`.
    public let clientAddress: String
    /// What the peer proved with a TLS client certificate (``ClientCertificate/none`` over
    /// plain HTTP).
    public let clientCertificate: ClientCertificate
    /// The subject alternative names of the client certificate presented (its first one), as
    /// Go prints them: DNS names, e-mail addresses, IP addresses, URIs. Empty without one.
    public let clientCertificateSANs: [String]
    /// The serial number (upper-case hex) of the client certificate presented; nil without one.
    public let clientCertificateSerial: String?

    /// True when the peer presented a TLS client certificate that verifies against the
    /// server's client CAs.
    public var clientCertificateVerified: Bool { clientCertificate == .verified }

    /// The TLS client certificate as GnuTLS judged it against the server's client CAs.
    public enum ClientCertificate: Sendable, Equatable {
        /// None presented (or plain HTTP).
        case none
        /// Presented, but it does not verify (unknown CA, expired, …).
        case unverified
        /// Presented and verified.
        case verified
    }

    /// One `key=value` of the query string.
    public struct QueryItem: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        method: String, path: String, query: [QueryItem] = [], headers: [String: String] = [:],
        body: [UInt8] = [], bodyTooLarge: Bool = false, clientAddress: String = "",
        clientCertificate: ClientCertificate = .none, clientCertificateSANs: [String] = [],
        clientCertificateSerial: String? = nil
    ) {
        self.init(
            method: method, path: path, query: query, headerFields: headers.map { ($0.key, $0.value) },
            body: body, bodyTooLarge: bodyTooLarge, clientAddress: clientAddress,
            clientCertificate: clientCertificate, clientCertificateSANs: clientCertificateSANs,
            clientCertificateSerial: clientCertificateSerial)
    }

    /// The one place header fields become ``headers``: names lower-cased, a repeated field's
    /// values joined with `, ` (RFC 9110 §5.3), in the order received.
    init(
        method: String, path: String, query: [QueryItem], headerFields: [(String, String)],
        body: [UInt8], bodyTooLarge: Bool, clientAddress: String, clientCertificate: ClientCertificate,
        clientCertificateSANs: [String] = [], clientCertificateSerial: String? = nil
    ) {
        var headers: [String: String] = [:]
        for (name, value) in headerFields {
            let key = name.lowercased()
            headers[key] = headers[key].map { "\($0), \(value)" } ?? value
        }
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.clientAddress = clientAddress
        self.clientCertificate = clientCertificate
        self.clientCertificateSANs = clientCertificateSANs
        self.clientCertificateSerial = clientCertificateSerial
    }

    /// The value of header `name` (any case), or nil.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Every value given for query argument `name`.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// The first value given for query argument `name`, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}
