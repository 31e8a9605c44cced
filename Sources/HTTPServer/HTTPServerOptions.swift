/// How an ``HTTPServer`` listens and what it tolerates from clients.
public struct HTTPServerOptions: Sendable {
    /// Numeric address to bind (`127.0.0.1`, `::1`), or nil for every address (dual stack).
    public var host: String?
    /// Port to bind; 0 picks a free one (read it back from ``HTTPServer/port``).
    public var port: UInt16
    /// Worker threads, each polling its share of connections with poll().
    public var threads: Int
    /// Concurrent connections served; further ones wait in the kernel backlog until one closes.
    public var connectionLimit: Int
    /// Seconds a connection may stay idle (no byte either way) before it is closed.
    public var connectionTimeoutSeconds: Int
    /// Time a request has to arrive whole, counted from the connection's start or the end of
    /// the previous response: slower (slowloris) or idle kept-alive connections are then
    /// closed (``ConnectionReaper``).
    public var requestDeadline: Duration = .seconds(10)
    /// Concurrent connections accepted from one address (0: no limit).
    public var perIPConnectionLimit: Int
    /// Bytes of memory per connection for request headers and buffers; larger headers get 431/413.
    public var connectionMemoryLimit: Int
    /// Request body bytes kept; a larger body sets ``HTTPRequest/bodyTooLarge``.
    public var maxBodyBytes: Int
    /// TLS settings; nil serves plain HTTP.
    public var tls: TLSSettings?
    /// Binds with `SO_REUSEPORT`, so that a successor server (new TLS settings) can listen on
    /// the same port before this one stops; both must set it.
    public var reusePort: Bool = false

    /// PEM material for TLS, held in memory (libmicrohttpd over GnuTLS).
    public struct TLSSettings: Sendable {
        public var certificatePEM: String
        public var keyPEM: String
        /// Client CAs; non-nil asks clients for a certificate.
        public var clientCAPEM: String?
        /// GnuTLS priority string (protocol versions), nil for the library's default.
        public var priorities: String?

        public init(
            certificatePEM: String, keyPEM: String, clientCAPEM: String? = nil,
            priorities: String? = nil
        ) {
            self.certificatePEM = certificatePEM
            self.keyPEM = keyPEM
            self.clientCAPEM = clientCAPEM
            self.priorities = priorities
        }
    }

    public init(
        host: String? = nil, port: UInt16 = 0, threads: Int = 2, connectionLimit: Int = 512,
        connectionTimeoutSeconds: Int = 30, perIPConnectionLimit: Int = 0,
        connectionMemoryLimit: Int = 64 * 1024, maxBodyBytes: Int = 64 * 1024,
        tls: TLSSettings? = nil
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.connectionLimit = connectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.perIPConnectionLimit = perIPConnectionLimit
        self.connectionMemoryLimit = connectionMemoryLimit
        self.maxBodyBytes = maxBodyBytes
        self.tls = tls
    }
}
