/// What the HTTP side needs to know about the running exporter, besides metrics.
/// Implemented by the application; called on libmicrohttpd's threads, so it must be cheap
/// and thread-safe.
public protocol ExporterStatus: Sendable {
    /// True once every listing has finished its first poll attempt.
    var isReady: Bool { get }
    /// The data for the status page at `/` and the plain-text `/debug` page, built on demand.
    func statusPage() -> StatusPage
    /// Re-reads the configuration; the failure text names the field (no secrets).
    func reload() -> Result<Void, ReloadFailure>
}

/// Why a reload was refused; the old configuration stays in force.
public struct ReloadFailure: Error, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
}
