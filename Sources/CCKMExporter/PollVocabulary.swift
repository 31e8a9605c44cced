/// Identifies one listing of one CipherTrust Manager: the `cm` and `cloud` labels.
public struct ListingKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The CM's configured name (`cm` label).
    public let cm: String
    /// The listing's name from the contract's table (`cloud` label), e.g. `aws`, `sfdc-keys`.
    public let cloud: String

    public init(cm: String, cloud: String) {
        self.cm = cm
        self.cloud = cloud
    }

    public static func < (a: ListingKey, b: ListingKey) -> Bool {
        (a.cm, a.cloud) < (b.cm, b.cloud)
    }

    public var description: String { "\(cm)/\(cloud)" }
}

/// Why a poll failed: the `reason` label of `cckm_poll_errors_total`, one case per value.
public enum PollErrorReason: String, CaseIterable, Sendable, Comparable {
    /// Login rejected (bad credentials, expired refresh token) or a 401/403 after renewal.
    case auth
    /// No TCP connection: refused, unreachable, DNS failure.
    case connect
    /// TLS handshake or certificate verification failed.
    case tls
    /// The poll or a request ran past its deadline.
    case timeout
    /// An HTTP answer with an unexpected status (429, 5xx, 404, …).
    case http
    /// An answer that is not a listing: invalid or truncated JSON, missing `resources`,
    /// or larger than the response size cap.
    case decode

    public static func < (a: PollErrorReason, b: PollErrorReason) -> Bool { a.rawValue < b.rawValue }
}

/// The `endpoint` label of `cckm_api_requests_total`.
public enum APIEndpoint: String, CaseIterable, Sendable, Comparable {
    case auth
    case syncJobs = "sync_jobs"

    public static func < (a: APIEndpoint, b: APIEndpoint) -> Bool { a.rawValue < b.rawValue }
}

/// Why a job in a listing was skipped: the `reason` label of `cckm_jobs_invalid_total`.
public enum InvalidJobReason: String, CaseIterable, Sendable, Comparable {
    /// No `id`, or an `id` that is not a non-empty string.
    case missingID = "missing_id"
    /// `createdAt` missing or not RFC 3339.
    case badCreatedAt = "bad_created_at"
    /// Not a JSON object, or a known field of the wrong type (e.g. `overall_status` a number).
    case malformed

    public static func < (a: InvalidJobReason, b: InvalidJobReason) -> Bool { a.rawValue < b.rawValue }
}

/// A job the decoder had to skip, with its id when it had a usable one.
public struct InvalidJob: Sendable, Equatable {
    public var id: String?
    public var reason: InvalidJobReason
    public init(id: String?, reason: InvalidJobReason) {
        self.id = id
        self.reason = reason
    }
}
