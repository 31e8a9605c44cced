import TextFormats

/// The body of one login request: `POST /api/v1/auth/tokens`.
enum LoginGrant {
    /// `domain`: the domain the token is issued for; `authDomain`: the domain the user lives
    /// in (`auth_domain`, sent only when set, as Thales' Terraform provider does).
    case password(username: String, password: String, domain: String?, authDomain: String? = nil)
    case refresh(token: String, domain: String?)
    /// The TLS client certificate identifies a registered client; CM documents no `domain` for
    /// this grant, so none is sent.
    case clientCredential
    /// The TLS client certificate's subject DN identifies a user.
    case userCertificate(domain: String?, authDomain: String?)

    /// The `grant_type`, also used to name the request in messages.
    var name: String {
        switch self {
        case .password: "password"
        case .refresh: "refresh_token"
        case .clientCredential: "client_credential"
        case .userCertificate: "user_certificate"
        }
    }

    var body: [UInt8] {
        switch self {
        case .password(let username, let password, let domain, let authDomain):
            SmallJSON.encode(
                [("grant_type", name), ("username", username), ("password", password)]
                    + (domain.map { [("domain", $0)] } ?? [])
                    + (authDomain.map { [("auth_domain", $0)] } ?? []))
        case .refresh(let token, let domain):
            SmallJSON.encode(
                [("grant_type", name), ("refresh_token", token)]
                    + (domain.map { [("domain", $0)] } ?? []))
        case .clientCredential:
            SmallJSON.encode([("grant_type", name)])
        case .userCertificate(let domain, let authDomain):
            SmallJSON.encode(
                [("grant_type", name)] + (domain.map { [("domain", $0)] } ?? [])
                    + (authDomain.map { [("auth_domain", $0)] } ?? []))
        }
    }
}

/// CM's answer to a login: `{"jwt":…,"duration":300,"token_type":"Bearer","refresh_token":…}`.
struct LoginAnswer {
    var jwt: String
    /// `duration`: how long the JWT lives.
    var lifetime: Duration
    /// A new refresh token (the password grant returns one).
    var refreshToken: String?

    /// CM's documented default, used only when an answer carries no usable `duration`.
    static let defaultLifetime: Duration = .seconds(300)
    /// How early a long-lived token is renewed.
    static let renewalMargin: Duration = .seconds(60)
    /// The longest lifetime believed: a larger (or infinite) `duration` would overflow the
    /// conversion to a `Duration`, and a token is renewed on a 401 anyway.
    static let maximumLifetime: Duration = .seconds(10 * 365 * 86_400)

    init(_ body: [UInt8], request: String) throws(CMError) {
        guard let fields = JSONObject.parse(body) else {
            throw CMError(reason: .decode, message: "\(request): answer is not a JSON object")
        }
        guard let jwt = fields["jwt"] as? String, !jwt.isEmpty else {
            throw CMError(reason: .decode, message: "\(request): answer has no jwt")
        }
        self.jwt = jwt
        let seconds = SmallJSON.number(fields["duration"]).flatMap { $0 > 0 ? $0 : nil }
        let maximum = Double(Self.maximumLifetime.components.seconds)
        self.lifetime =
            seconds.map { $0 >= maximum ? Self.maximumLifetime : .milliseconds(Int64(($0 * 1000).rounded())) }
            ?? Self.defaultLifetime
        self.refreshToken = (fields["refresh_token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// When to renew, after the login was sent: 60 s before expiry, or at 80 % of the
    /// lifetime when that comes later (short-lived tokens).
    var renewAfter: Duration {
        max(lifetime - Self.renewalMargin, lifetime * 0.8)
    }
}
