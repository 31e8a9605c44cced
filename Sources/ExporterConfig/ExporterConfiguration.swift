import CCKMClient
import JobMetrics
import StrictYAML

/// Everything the pollers need, decoded, defaulted and validated in one place
/// (``ConfigurationLoader``) and handed out immutable. Reloadable on SIGHUP.
public struct ExporterConfiguration: Sendable, Equatable {
    /// Time between the starts of two polls of a CM.
    public var pollInterval: Duration
    /// Budget of one poll of one listing (all its pages, retries and logins).
    public var pollTimeout: Duration

    /// The poll timeout when none is given: 20s, or the interval when that is shorter.
    public static func defaultPollTimeout(interval: Duration) -> Duration {
        min(.seconds(20), interval)
    }
    /// The CipherTrust Managers to poll; names are unique.
    public var targets: [TargetConfiguration]
    /// Time between consistency checks of a listing (its `total` and each documented status's
    /// against what the exporter holds; a mismatch starts a complete walk). Polls are
    /// incremental (new jobs and the running ones). Zero makes every poll a complete walk.
    public var fullResyncInterval: Duration
    /// Budget of one complete walk of a listing: walks are not bound by ``pollTimeout`` (a
    /// long history on a slow CM takes as long as CM needs); one that takes longer fails
    /// (`reason="timeout"`) and starts again.
    public var walkTimeout: Duration
    /// What CM data may cost (docs/SECURITY.md): distinct statuses, region series and jobs per
    /// listing, and the size of one answer.
    public var limits: DataLimits
    /// Which targets this replica polls (``ShardAssignment``); every one by default.
    public var sharding: ShardAssignment = .unsharded

    /// `--poll.full-resync-interval` and `full_resync_interval` when not given.
    public static let defaultFullResyncInterval: Duration = .seconds(600)
    /// `--poll.walk-timeout` and `walk_timeout` when not given.
    public static let defaultWalkTimeout: Duration = .seconds(3600)

    public init(
        pollInterval: Duration = .seconds(30), pollTimeout: Duration = .seconds(20),
        targets: [TargetConfiguration],
        fullResyncInterval: Duration = defaultFullResyncInterval,
        walkTimeout: Duration = defaultWalkTimeout, limits: DataLimits = DataLimits(),
        sharding: ShardAssignment = .unsharded
    ) {
        self.limits = limits
        self.sharding = sharding
        self.pollInterval = pollInterval
        self.pollTimeout = pollTimeout
        self.targets = targets
        self.fullResyncInterval = fullResyncInterval
        self.walkTimeout = walkTimeout
    }
}

/// The limits on what CM data may cost: per listing (``ListingLimits``) and per answer.
public struct DataLimits: Sendable, Equatable {
    public var listing: ListingLimits
    /// Largest answer body accepted (after decompression); a larger one fails the poll with
    /// `reason="decode"`.
    public var responseBytes: Int

    public static let defaultResponseBytes = 32 << 20

    public init(listing: ListingLimits = ListingLimits(), responseBytes: Int = defaultResponseBytes) {
        self.listing = listing
        self.responseBytes = responseBytes
    }
}

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

/// A password or token: compared by value, never printed.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    /// `dump()` and debuggers see no value either.
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// A configuration that cannot be used: `field` is the YAML path or flag
/// (`targets[1].auth.password_file`, `--cm.url`), `problem` says what is wrong. Never holds a secret.
public typealias ConfigurationError = FieldError
