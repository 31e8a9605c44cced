import HTTPServer

/// `POST /api/v1/auth/tokens`: the password and refresh-token grants (the certificate grants
/// are in ``certificateLogin(_:grant:)``).
extension SimulatorCore {
    func login(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let body = try JSONBody(request.body)
        let grant = try body.string("grant_type") ?? "password"
        _ = try (body.string("domain"), body.string("auth_domain"))  // accepted, any value
        let issued: TokenRegistry.Issued
        switch grant {
        case "password":
            guard let username = try body.string("username"),
                let password = try body.string("password")
            else {
                throw .badRequest("username and password are required for grant_type password")
            }
            issued = try passwordLogin(username: username, password: password)
        case "refresh_token":
            guard let token = try body.string("refresh_token") else {
                throw .badRequest("refresh_token is required for grant_type refresh_token")
            }
            issued = try refreshLogin(token)
        case "client_credential", "user_certificate":
            issued = try certificateLogin(request, grant: grant)
        default:
            throw .badRequest("unsupported grant_type \"\(grant)\"")
        }
        if let serial = request.clientCertificateSerial {
            withCurrentState { state, _ in state.stats.certificateLoginSerials.append(serial) }
        }
        return .json(200, Self.loginAnswer(issued))
    }

    private func passwordLogin(username: String, password: String) throws(APIError)
        -> TokenRegistry.Issued
    {
        try withCurrentState { (state, now) throws(APIError) in
            guard username == configuration.username,
                password == (state.changedPassword ?? configuration.password)
            else {
                state.stats.rejectedLogins += 1
                throw .unauthorized("Invalid user credentials")
            }
            state.stats.logins["password", default: 0] += 1
            return state.tokens.issue(
                username: username, withRefreshToken: true,
                lifetimeSeconds: state.settings.tokenLifetimeSeconds, now: now)
        }
    }

    private func refreshLogin(_ token: String) throws(APIError) -> TokenRegistry.Issued {
        try withCurrentState { (state, now) throws(APIError) in
            guard let username = state.tokens.user(forRefreshToken: token) else {
                state.stats.rejectedLogins += 1
                throw .unauthorized("Invalid refresh token")
            }
            state.stats.logins["refresh_token", default: 0] += 1
            return state.tokens.issue(
                username: username, withRefreshToken: false,
                lifetimeSeconds: state.settings.tokenLifetimeSeconds, now: now)
        }
    }

    /// `{"jwt":…,"duration":…,"token_type":"Bearer","client_id":…,"refresh_token":…}`.
    private static func loginAnswer(_ issued: TokenRegistry.Issued) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{\"jwt\":")
        json.string(issued.jwt)
        json.raw(",\"duration\":")
        json.int(issued.duration)
        json.raw(",\"token_type\":\"Bearer\",\"client_id\":")
        json.string(issued.clientID)
        if let refreshToken = issued.refreshToken {
            json.raw(",\"refresh_token\":")
            json.string(refreshToken)
        }
        json.raw("}")
        return json.bytes
    }
}
