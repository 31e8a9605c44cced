import HTTPServer

/// The certificate grants of `POST /api/v1/auth/tokens`, as CM documents them: the TLS client
/// certificate presented (verified against the simulator's client CAs: unknown CAs and expired
/// certificates are refused) identifies the caller. `client_credential` answers a JWT and no
/// refresh token; `user_certificate` logs the configured user in and also answers a refresh
/// token.
extension SimulatorCore {
    func certificateLogin(_ request: HTTPRequest, grant: String) throws(APIError) -> TokenRegistry.Issued {
        try withCurrentState { (state, now) throws(APIError) in
            switch request.clientCertificate {
            case .none:
                state.stats.rejectedLogins += 1
                throw .unauthorized("A client certificate is required for grant_type \(grant)")
            case .unverified:
                state.stats.rejectedLogins += 1
                throw .unauthorized("Invalid client certificate")
            case .verified:
                break
            }
            state.stats.logins[grant, default: 0] += 1
            return state.tokens.issue(
                username: configuration.username, withRefreshToken: grant == "user_certificate",
                lifetimeSeconds: state.settings.tokenLifetimeSeconds, now: now)
        }
    }

    /// Makes `password` the user's password from now on.
    func changePassword(_ password: String) {
        withCurrentState { state, _ in state.changedPassword = password }
    }

    /// Revokes every refresh token.
    func revokeRefreshTokens() {
        withCurrentState { state, _ in state.tokens.revokeRefreshTokens() }
    }
}

extension CCKMSimulator {
    /// Changes the user's password (CM's password policy expired the old one): logins with the
    /// old one are refused from now on.
    public func changePassword(_ password: String) { core.changePassword(password) }

    /// Revokes every refresh token issued so far (and the preset ones).
    public func revokeRefreshTokens() { core.revokeRefreshTokens() }
}
