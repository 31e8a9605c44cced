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

/// A configuration that cannot be used: `field` is the YAML path or flag
/// (`targets[1].auth.password_file`, `--cm.url`), `problem` says what is wrong. Never holds a secret.
public typealias ConfigurationError = FieldError
