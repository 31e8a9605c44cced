/// How the exporter logs in to one CipherTrust Manager.
///
/// Any combination the contract allows is valid: a refresh token alone, a username and
/// password alone, or both (the refresh-token grant is tried first and the password grant is
/// the fallback). Printing a value never shows a secret: ``description`` names only which
/// secrets are set.
public struct CMCredentials: Sendable, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible
{
    /// The user for the password grant.
    public var username: String?
    /// The password for the password grant (secret).
    public var password: String?
    /// The login domain (`domain` in the login body); nil for CM's default.
    public var domain: String?
    /// The domain the user lives in (`auth_domain` in the password grant's body), when it is
    /// not the one the token is issued for; nil: not sent.
    public var authDomain: String?
    /// A refresh token for the refresh-token grant (secret).
    public var refreshToken: String?
    /// The grant to log in with; nil: the refresh token first, the password as the fallback.
    public var grant: LoginMethod?

    public init(
        username: String? = nil, password: String? = nil, domain: String? = nil,
        authDomain: String? = nil, refreshToken: String? = nil, grant: LoginMethod? = nil
    ) {
        self.grant = grant
        self.username = username
        self.password = password
        self.domain = domain
        self.authDomain = authDomain
        self.refreshToken = refreshToken
    }

    /// True when the password grant can be used: a username and a password are both set.
    public var canUsePassword: Bool {
        !(username ?? "").isEmpty && !(password ?? "").isEmpty
    }

    /// True when a refresh token was configured.
    public var hasRefreshToken: Bool { !(refreshToken ?? "").isEmpty }

    /// The secrets, for scrubbing them out of any text that came from the server.
    var secrets: [String] {
        [password, refreshToken].compactMap { $0 }.filter { !$0.isEmpty }
    }

    public var description: String {
        let parts = [
            "username: \(username.map { "\"\($0)\"" } ?? "nil")",
            "password: \(password == nil ? "nil" : "<redacted>")",
            "domain: \(domain.map { "\"\($0)\"" } ?? "nil")",
            "authDomain: \(authDomain.map { "\"\($0)\"" } ?? "nil")",
            "refreshToken: \(refreshToken == nil ? "nil" : "<redacted>")",
            "grant: \(grant?.rawValue ?? "nil")",
        ]
        return "CMCredentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }
}

extension CMCredentials: CustomReflectable {
    /// `dump()` and the debugger's default view would otherwise print the stored secrets.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
