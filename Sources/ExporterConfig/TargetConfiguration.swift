import CCKMClient

/// One CipherTrust Manager and the listings to poll on it.
public struct TargetConfiguration: Sendable, Equatable {
    /// Value of the `cm` label.
    public var name: String
    /// Base URL, e.g. `https://cm.example.com` (no trailing slash).
    public var url: String
    /// Listing names from the contract's table (`aws`, `azure`, …), no duplicates.
    public var clouds: [String]
    /// `limit` asked for per page.
    public var pageSize: Int
    public var auth: AuthConfiguration
    public var tls: TLSConfiguration

    public init(
        name: String, url: String, clouds: [String] = ["aws"], pageSize: Int = 500,
        auth: AuthConfiguration, tls: TLSConfiguration = TLSConfiguration()
    ) {
        self.name = name
        self.url = url
        self.clouds = clouds
        self.pageSize = pageSize
        self.auth = auth
        self.tls = tls
    }
}

/// How to log in; the secrets themselves were read from files or the environment.
public struct AuthConfiguration: Sendable, Equatable {
    public var username: String?
    /// `domain` of the login body: the domain the token is issued for.
    public var domain: String?
    /// `auth_domain` of the login body: the domain the user lives in; nil: not sent.
    public var authDomain: String?
    public var password: Secret?
    public var refreshToken: Secret?
    /// The grant (`auth.grant`); nil: the refresh token first, the password as the fallback.
    public var grant: LoginMethod?
    /// Where ``password`` and ``refreshToken`` were read from (re-read when they change);
    /// nil when they came from the environment.
    public var passwordFile: String?
    public var refreshTokenFile: String?

    public init(
        username: String? = nil, domain: String? = nil, authDomain: String? = nil,
        password: Secret? = nil, refreshToken: Secret? = nil, grant: LoginMethod? = nil,
        passwordFile: String? = nil, refreshTokenFile: String? = nil
    ) {
        self.grant = grant
        self.passwordFile = passwordFile
        self.refreshTokenFile = refreshTokenFile
        self.username = username
        self.domain = domain
        self.authDomain = authDomain
        self.password = password
        self.refreshToken = refreshToken
    }
}

/// How to trust the CM's certificate, and the client certificate presented to it.
public struct TLSConfiguration: Sendable, Equatable {
    /// PEM bundle of the CA that signed the CM's certificate (private CAs are common).
    public var caFile: String?
    /// Skip verification entirely: logged as a warning at start.
    public var insecureSkipVerify: Bool
    /// The client certificate presented on every TLS connection to CM (``ClientCertificateFiles``).
    public var client: ClientCertificateFiles?

    public init(
        caFile: String? = nil, insecureSkipVerify: Bool = false, client: ClientCertificateFiles? = nil
    ) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.client = client
    }
}

/// A PEM client certificate and its key (`tls.client_cert_file`, `tls.client_key_file`,
/// `tls.client_key_password_file`), checked when loaded: the key belongs to the certificate
/// and the certificate has not expired. The files are re-read when they change.
public struct ClientCertificateFiles: Sendable, Equatable {
    public var certificateFile: String
    public var keyFile: String
    public var keyPasswordFile: String?
    /// The key's password as read (secret).
    public var keyPassword: Secret?
    /// The certificate as read when loaded.
    public var certificate: ClientCertificateInfo

    public init(
        certificateFile: String, keyFile: String, keyPasswordFile: String? = nil, keyPassword: Secret? = nil,
        certificate: ClientCertificateInfo
    ) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.keyPasswordFile = keyPasswordFile
        self.keyPassword = keyPassword
        self.certificate = certificate
    }
}
