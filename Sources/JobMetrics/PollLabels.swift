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
