import JobMetrics
import Synchronization
import TextSafety

/// Keeps a valid JWT for one CipherTrust Manager: logs in, renews ahead of expiry, and
/// forgets the token when CM answers 401.
///
/// Renewal uses the refresh-token grant first (the configured token, or the one the last
/// password or `user_certificate` login returned) and falls back to the configured grant
/// (``LoginMethod``): the password grant, or a certificate login. `client_credential` gets no
/// refresh token: each renewal is one new login. A token is renewed when `min(60 s, 20 % of
/// duration)` of its lifetime is left, measured from when the login was sent; `duration` is
/// read from every answer.
///
/// **Rotation in place**: before each login (and while a login is refused) the credential
/// files (``CredentialFiles``) are looked at (a `stat` each) and re-read when they changed: a
/// new password or refresh token is used by that login; a new client certificate, key or key
/// password, once checked to be a pair (``ClientKeyPair``), makes that login go out on a new
/// transport presenting its bytes (``TransportSlot``: no connection or TLS session of the old
/// certificate is reused, and no file is read mid-rotation); a pair that is none is refused and
/// the last good one stays presented. Each change is reported to `onEvent`.
///
/// A rejected login is remembered until the deadline of the poll it happened in, and at least
/// for `loginRetryInterval` (the poll interval: CM can lock an account after N failures):
/// later requests fail at once with the same ``CMError`` (reason `auth`) instead of hammering
/// CM, unless a credential file changed since. Thread-safe: the state sits behind a lock, which
/// is also held across a login so that two threads never log in at once.
///
/// Time is read from the `now` clock given at creation (the monotonic clock by default; tests
/// pass one they advance, so renewal is checked without waiting for a token to age).
///
/// Its secrets (the configured ones, the key's bytes and password, and each JWT and refresh
/// token CM hands out) are in ``SecretRegistry/shared`` while it lives, so log lines and status
/// pages scrub them.
public final class TokenProvider: Sendable {
    let sender: RequestSender
    let state: Mutex<State>
    let now: @Sendable () -> ContinuousClock.Instant
    let loginRetryInterval: Duration
    let onEvent: @Sendable (CredentialEvent) -> Void

    /// The login path, relative to the CM's base URL.
    static let loginPath = "/api/v1/auth/tokens"

    struct State {
        var credentials: CMCredentials
        var token: Token?
        /// The refresh token to try first: the configured one, then the latest CM returned.
        var refreshToken: String?
        var rejection: Rejection?
        var watch: CredentialWatch
        var clientCertificate: ClientCertificateInfo?
    }

    /// A JWT and the instants that govern its renewal.
    struct Token {
        var jwt: String
        var renewAt: ContinuousClock.Instant
        var expiresAt: ContinuousClock.Instant
    }

    struct Rejection {
        var error: CMError
        var until: ContinuousClock.Instant
    }

    /// - Parameters:
    ///   - files: the credential files to watch for rotation (none by default).
    ///   - loginRetryInterval: the least time between two refused logins.
    ///   - now: the clock that renewal and expiry are measured on, and that the deadlines
    ///     passed to ``token(deadline:sent:)`` come from.
    init(
        sender: RequestSender, credentials: CMCredentials, files: CredentialFiles = CredentialFiles(),
        loginRetryInterval: Duration = .zero,
        onEvent: @escaping @Sendable (CredentialEvent) -> Void = { _ in },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.sender = sender
        let watch = CredentialWatch(files, loaded: credentials)
        // The pair is presented from memory from the start, so a later rotation caught half-way
        // never reaches a new connection; a pair that is none (the configuration checks it)
        // leaves the transport as it was given.
        let presented = try? Self.present(watch.clientKeyPair, on: sender.transports)?.get()
        self.state = Mutex(
            State(
                credentials: credentials, refreshToken: credentials.refreshToken, watch: watch,
                clientCertificate: presented ?? watch.initialCertificate))
        self.now = now
        self.loginRetryInterval = loginRetryInterval
        self.onEvent = onEvent
        SecretRegistry.shared.register(credentials.secrets + watch.initialSecrets, owner: self, pinned: true)
    }

    deinit { SecretRegistry.shared.withdraw(owner: ObjectIdentifier(self)) }

    /// Forgets the current JWT (CM answered 401 with it): the next ``token(deadline:sent:)``
    /// logs in.
    public func invalidate() {
        state.withLock { $0.token = nil }
    }

    /// The current JWT and refresh token, for scrubbing them out of text the server sent.
    var secretsInUse: [String] {
        state.withLock { state in
            [state.token?.jwt, state.refreshToken].compactMap { $0 } + state.credentials.secrets
        }
    }

    /// A JWT valid now, logging in or renewing first when needed; the login requests it sends
    /// are added to `sent`.
    func token(deadline: ContinuousClock.Instant, sent: inout Int) throws(CMError) -> String {
        var events: [CredentialEvent] = []
        defer { events.forEach(onEvent) }
        return try state.withLock { (state: inout State) throws(CMError) -> String in
            let now = self.now()
            if let token = state.token, now < token.renewAt { return token.jwt }
            let reread = rereadCredentials(&state)
            events += reread
            if reread.contains(where: { if case .reread = $0 { true } else { false } }) {
                state.rejection = nil  // new credentials: worth a login now
            }
            if let rejection = state.rejection, now < rejection.until {
                if let token = state.token, now < token.expiresAt { return token.jwt }
                throw rejection.error
            }
            do throws(CMError) {
                let token = try login(&state, deadline: deadline, sent: &sent)
                state.token = token
                state.rejection = nil
                return token.jwt
            } catch {
                if error.reason == .auth {
                    state.rejection = Rejection(error: error, until: max(deadline, now + loginRetryInterval))
                    events.append(.loginRefused(message: error.message, retryAfter: loginRetryInterval))
                }
                // Renewal is early on purpose: while the old token lives, keep using it and
                // try again halfway to its expiry instead of on every request.
                if var token = state.token, now < token.expiresAt {
                    token.renewAt = now + (token.expiresAt - now) / 2
                    state.token = token
                    return token.jwt
                }
                state.token = nil
                throw error
            }
        }
    }

    /// Refresh-token grant first, the configured grant as the fallback (or the only way).
    private func login(
        _ state: inout State, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> Token {
        let credentials = state.credentials
        let secrets = credentials.secrets + [state.refreshToken].compactMap { $0 }
        let fallback = credentials.canUsePassword || credentials.grant?.usesClientCertificate == true
        if credentials.grant != .clientCredential, let refreshToken = state.refreshToken,
            !refreshToken.isEmpty
        {
            do {
                let grant = LoginGrant.refresh(token: refreshToken, domain: credentials.domain)
                return try perform(grant, &state, deadline: deadline, sent: &sent)
            } catch  where error.reason == .auth && fallback {
                // The refresh token expired or was revoked: the password or certificate still
                // works, and the token is not tried again (a rotated refresh-token file brings
                // a new one, a password or certificate login returns one).
                state.refreshToken = nil
            } catch {
                throw error.scrubbing(secrets)
            }
        }
        let grant: LoginGrant
        switch credentials.grant {
        case .clientCredential:
            grant = .clientCredential
        case .userCertificate:
            grant = .userCertificate(domain: credentials.domain, authDomain: credentials.authDomain)
        case .password, .refreshToken, nil:
            guard credentials.canUsePassword, let username = credentials.username,
                let password = credentials.password
            else {
                throw CMError(
                    reason: .auth,
                    message: "no credentials: set a refresh token or username and password")
            }
            grant = .password(
                username: username, password: password, domain: credentials.domain,
                authDomain: credentials.authDomain)
        }
        do {
            return try perform(grant, &state, deadline: deadline, sent: &sent)
        } catch {
            throw error.scrubbing(secrets)
        }
    }

    private func perform(
        _ grant: LoginGrant, _ state: inout State, deadline: ContinuousClock.Instant,
        sent: inout Int
    ) throws(CMError) -> Token {
        let request = CMRequest(
            endpoint: .auth, method: "POST", target: Self.loginPath,
            headers: ["Content-Type: application/json", "Accept: application/json"],
            body: grant.body, label: "POST \(Self.loginPath) (\(grant.name) grant)")
        let sentAt = now()
        let response = try sender.send(request, deadline: deadline, sent: &sent)
        switch response.status {
        case 200, 201:
            let answer = try LoginAnswer(response.body, request: request.label)
            SecretRegistry.shared.register([answer.jwt, answer.refreshToken].compactMap { $0 }, owner: self)
            if let refreshToken = answer.refreshToken { state.refreshToken = refreshToken }
            return Token(
                jwt: answer.jwt, renewAt: sentAt + answer.renewAfter,
                expiresAt: sentAt + answer.lifetime)
        case 400, 401, 403:
            throw CMError.status(
                response.status, body: response.body, request: request.label, reason: .auth,
                secrets: state.credentials.secrets + [state.refreshToken].compactMap { $0 })
        default:
            throw CMError.status(
                response.status, body: response.body, request: request.label,
                secrets: state.credentials.secrets + [state.refreshToken].compactMap { $0 })
        }
    }
}
