import HTTPServer
import Synchronization

/// Applies the current ``WebConfig`` to every request before the routes see it: the TLS
/// client-certificate policy, basic auth, and the configured response headers.
///
/// Every path is protected, unknown ones included (a 404 would tell what exists), except
/// `/-/healthy` when the configuration says `healthy_without_auth: true`.
///
/// Credentials the ``BasicAuthVerifier`` has seen are answered at once. New ones need bcrypt
/// (~70 ms at cost 10): ``reply(_:)`` defers the request to the ``BcryptPool`` so that
/// libmicrohttpd's workers go on serving verified scrapes, unless the ``AuthThrottle`` of the
/// source address has no token left (429 at once, a failed check takes one) or the pool's
/// queue is full (503 at once). Every refusal of credentials counts in
/// ``AuthFailureCounter``.
public final class WebConfigGate: Sendable {
    private let current: Mutex<WebConfig>
    private let verifier: BasicAuthVerifier
    private let throttle: AuthThrottle
    private let pool: BcryptPool
    /// Refused credentials.
    public let failures: AuthFailureCounter
    private let next: HTTPServer.Handler
    private let limiter = WebRateLimiter()
    /// The `WWW-Authenticate` challenge sent with 401 (see ``challenge(realm:)``).
    public let challenge: String

    /// `Basic realm="…", charset="UTF-8"`; without a realm `Basic charset="UTF-8"`, as
    /// exporter-toolkit's bare `Basic` with the charset RFC 7617 lets a server name.
    public static func challenge(realm: String?) -> String {
        realm.map { "Basic realm=\"\($0)\", charset=\"UTF-8\"" } ?? "Basic charset=\"UTF-8\""
    }

    public init(
        config: WebConfig, verifier: BasicAuthVerifier = BasicAuthVerifier(),
        throttle: AuthThrottle = AuthThrottle(), pool: BcryptPool = BcryptPool(),
        failures: AuthFailureCounter = AuthFailureCounter(), realm: String? = nil,
        next: @escaping HTTPServer.Handler
    ) {
        current = Mutex(config)
        challenge = Self.challenge(realm: realm)
        self.verifier = verifier
        self.throttle = throttle
        self.pool = pool
        self.failures = failures
        self.next = next
    }

    /// The configuration in force.
    public var config: WebConfig { current.withLock { $0 } }

    /// Replaces the configuration; the next request sees the new one.
    public func update(_ config: WebConfig) { current.withLock { $0 = config } }

    /// ``reply(_:servedWith:)`` judging the client certificate by the configuration in force.
    public func reply(_ request: HTTPRequest) -> HTTPReply { reply(request, servedWith: config.tls) }

    /// Answers one request that arrived on a daemon started with `tls`, deferring it while
    /// its credentials are checked (libmicrohttpd threads call this). Its client certificate
    /// is judged by that daemon's `client_auth_type` (a daemon asks for certificates from the
    /// CAs it was started with, so only its own policy fits), auth and headers by the
    /// configuration in force.
    public func reply(_ request: HTTPRequest, servedWith tls: WebTLSConfig?) -> HTTPReply {
        let config = self.config
        switch admit(request, config, tls) {
        case .pass: return .response(finish(next(request), config))
        case .refuse(let response): return .response(finish(response, config))
        case .check(let check):
            let address = request.clientAddress
            if let wait = throttle.admit(address) {
                failures.record(address: address, throttled: true)
                return .response(finish(Self.throttled(wait), config))
            }
            return .deferred { [self] responder in
                let queued = pool.submit {
                    responder.respond(self.finish(self.settle(check, request), config))
                }
                if !queued { responder.respond(finish(Self.busy, config)) }
            }
        }
    }

    /// Answers one request on the calling thread, bcrypt included (tests, the fuzz harness),
    /// judging its client certificate by the configuration in force.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        handle(request, servedWith: config.tls)
    }

    /// ``handle(_:)`` for a request that arrived on a daemon started with `tls`.
    public func handle(_ request: HTTPRequest, servedWith tls: WebTLSConfig?) -> HTTPResponse {
        let config = self.config
        switch admit(request, config, tls) {
        case .pass: return finish(next(request), config)
        case .refuse(let response): return finish(response, config)
        case .check(let check): return finish(settle(check, request), config)
        }
    }

    private enum Admission {
        case pass
        case refuse(HTTPResponse)
        case check(BcryptCheck)
    }

    private func admit(_ request: HTTPRequest, _ config: WebConfig, _ tls: WebTLSConfig?) -> Admission {
        if let wait = limiter.take(under: config.rateLimit) {
            var response = HTTPResponse.text(429, "Too Many Requests\n")
            response.headers.append(("Retry-After", "\(wait)"))
            return .refuse(response)
        }
        if config.healthyWithoutAuth && request.path == "/-/healthy" { return .pass }
        if let tls, !tls.admits(request) {
            return .refuse(.text(403, "A valid client certificate is required\n"))
        }
        if config.basicAuthUsers.isEmpty { return .pass }
        switch verifier.lookup(authorization: request.header("Authorization"), users: config.basicAuthUsers) {
        case .accepted: return .pass
        case .missing: return .refuse(unauthorized)
        case .refused:
            failures.record(address: request.clientAddress, throttled: false)
            return .refuse(unauthorized)
        case .needsCheck(let check): return .check(check)
        }
    }

    /// Runs `check`; the routes' answer when it passes, else 401 (counted).
    private func settle(_ check: BcryptCheck, _ request: HTTPRequest) -> HTTPResponse {
        if check.run() { return next(request) }
        throttle.recordFailure(request.clientAddress)
        failures.record(address: request.clientAddress, throttled: false)
        return unauthorized
    }

    private func finish(_ response: HTTPResponse, _ config: WebConfig) -> HTTPResponse {
        var response = response
        for header in config.headers {
            response.headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            response.headers.append((header.name, header.value))
        }
        return response
    }

    private var unauthorized: HTTPResponse {
        var response = HTTPResponse.text(401, "Unauthorized\n")
        response.headers.append(("WWW-Authenticate", challenge))
        return response
    }

    private static func throttled(_ wait: Duration) -> HTTPResponse {
        let seconds = max(1, Int((wait / .seconds(1)).rounded(.up)))
        var response = HTTPResponse.text(
            429, "Too many failed logins from this address; retry in \(seconds) s\n")
        response.headers.append(("Retry-After", "\(seconds)"))
        return response
    }

    private static var busy: HTTPResponse {
        var response = HTTPResponse.text(503, "Busy checking other credentials; retry shortly\n")
        response.headers.append(("Retry-After", "1"))
        return response
    }
}
