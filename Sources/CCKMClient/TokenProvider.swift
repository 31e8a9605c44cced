import JobMetrics
import Synchronization
import TextSafety

/// Keeps a valid JWT for one CipherTrust Manager: logs in, renews ahead of expiry, and
/// forgets the token when CM answers 401.
///
/// Renewal uses the refresh-token grant first (the configured token, or the one the last
/// password login returned) and falls back to the password grant when one is configured.
/// A token is renewed when `min(60 s, 20 % of duration)` of its lifetime is left, measured
/// from when the login was sent; `duration` is read from every answer.
///
/// A rejected login is remembered until the deadline of the poll it happened in: later
/// requests of that poll fail at once with the same ``CMError`` (reason `auth`) instead of
/// hammering CM; the next poll tries again. Thread-safe: the state sits behind a lock, which
/// is also held across a login so that two threads never log in at once.
///
/// Time is read from the `now` clock given at creation (the monotonic clock by default; tests
/// pass one they advance, so renewal is checked without waiting for a token to age).
///
/// Its secrets (the configured ones, and each JWT and refresh token CM hands out) are in
/// ``SecretRegistry/shared`` while it lives, so log lines and status pages scrub them.
public final class TokenProvider: Sendable {
    private let sender: RequestSender
    private let credentials: CMCredentials
    private let state: Mutex<State>
    private let now: @Sendable () -> ContinuousClock.Instant

    /// The login path, relative to the CM's base URL.
    static let loginPath = "/api/v1/auth/tokens"

    private struct State {
        var token: Token?
        /// The refresh token to try first: the configured one, then the latest CM returned.
        var refreshToken: String?
        var rejection: Rejection?
    }

    /// A JWT and the instants that govern its renewal.
    struct Token {
        var jwt: String
        var renewAt: ContinuousClock.Instant
        var expiresAt: ContinuousClock.Instant
    }

    private struct Rejection {
        var error: CMError
        var until: ContinuousClock.Instant
    }

    /// - Parameter now: the clock that renewal and expiry are measured on, and that the
    ///   deadlines passed to ``token(deadline:sent:)`` come from.
    init(
        sender: RequestSender, credentials: CMCredentials,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.sender = sender
        self.credentials = credentials
        self.state = Mutex(State(refreshToken: credentials.refreshToken))
        self.now = now
        SecretRegistry.shared.register(credentials.secrets, owner: self, pinned: true)
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
            [state.token?.jwt, state.refreshToken].compactMap { $0 }
        }
    }

    /// A JWT valid now, logging in or renewing first when needed; the login requests it sends
    /// are added to `sent`.
    func token(deadline: ContinuousClock.Instant, sent: inout Int) throws(CMError) -> String {
        try state.withLock { (state: inout State) throws(CMError) -> String in
            let now = self.now()
            if let token = state.token, now < token.renewAt { return token.jwt }
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
                    state.rejection = Rejection(error: error, until: deadline)
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

    /// Refresh-token grant first, password grant as the fallback (or the only way).
    private func login(
        _ state: inout State, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> Token {
        let secrets = credentials.secrets + [state.refreshToken].compactMap { $0 }
        if let refreshToken = state.refreshToken, !refreshToken.isEmpty {
            do {
                let grant = LoginGrant.refresh(token: refreshToken, domain: credentials.domain)
                return try perform(grant, &state, deadline: deadline, sent: &sent)
            } catch  where error.reason == .auth && credentials.canUsePassword {
                // The refresh token expired or was revoked: the password still works.
            } catch {
                throw error.scrubbing(secrets)
            }
        }
        guard credentials.canUsePassword, let username = credentials.username,
            let password = credentials.password
        else {
            throw CMError(
                reason: .auth,
                message: "no credentials: set a refresh token or username and password")
        }
        let grant = LoginGrant.password(
            username: username, password: password, domain: credentials.domain,
            authDomain: credentials.authDomain)
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
                secrets: credentials.secrets + [state.refreshToken].compactMap { $0 })
        default:
            throw CMError.status(
                response.status, body: response.body, request: request.label,
                secrets: credentials.secrets + [state.refreshToken].compactMap { $0 })
        }
    }
}
