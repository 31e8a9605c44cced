import HTTPServer
import Synchronization

/// Applies the current ``WebConfig`` to every request before the routes see it: the TLS
/// client-certificate policy, basic auth, and the configured response headers.
///
/// Every path is protected, unknown ones included (a 404 would tell what exists), except
/// `/-/healthy` when the configuration says `healthy_without_auth: true`.
public final class WebConfigGate: Sendable {
    private let current: Mutex<WebConfig>
    private let verifier: BasicAuthVerifier
    private let next: HTTPServer.Handler
    private let limiter = WebRateLimiter()

    /// The `WWW-Authenticate` challenge sent with 401.
    public static let challenge = "Basic realm=\"cckm_exporter\", charset=\"UTF-8\""

    public init(
        config: WebConfig, verifier: BasicAuthVerifier = BasicAuthVerifier(),
        next: @escaping HTTPServer.Handler
    ) {
        current = Mutex(config)
        self.verifier = verifier
        self.next = next
    }

    /// The configuration in force.
    public var config: WebConfig { current.withLock { $0 } }

    /// Replaces the configuration; the next request sees the new one.
    public func update(_ config: WebConfig) { current.withLock { $0 = config } }

    /// Answers one request (libmicrohttpd threads call this), judging its client certificate
    /// by the configuration in force.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        handle(request, servedWith: config.tls)
    }

    /// Answers one request that arrived on a daemon started with `tls`: its client
    /// certificate is judged by that daemon's `client_auth_type` (a daemon asks for
    /// certificates from the CAs it was started with, so only its own policy fits), auth and
    /// headers by the configuration in force.
    public func handle(_ request: HTTPRequest, servedWith tls: WebTLSConfig?) -> HTTPResponse {
        let config = self.config
        var response = admit(request, config, tls) ?? next(request)
        for header in config.headers {
            response.headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            response.headers.append((header.name, header.value))
        }
        return response
    }

    /// A refusal, or nil when the request may go on to the routes.
    private func admit(_ request: HTTPRequest, _ config: WebConfig, _ tls: WebTLSConfig?)
        -> HTTPResponse?
    {
        if let wait = limiter.take(under: config.rateLimit) {
            var response = HTTPResponse.text(429, "Too Many Requests\n")
            response.headers.append(("Retry-After", "\(wait)"))
            return response
        }
        if config.healthyWithoutAuth && request.path == "/-/healthy" { return nil }
        if let tls, !tls.admits(request) {
            return .text(403, "A valid client certificate is required\n")
        }
        if config.basicAuthUsers.isEmpty { return nil }
        if verifier.verify(authorization: request.header("Authorization"), users: config.basicAuthUsers) {
            return nil
        }
        var response = HTTPResponse.text(401, "Unauthorized\n")
        response.headers.append(("WWW-Authenticate", Self.challenge))
        return response
    }
}
