/// What the simulator has served since start or the last reset: tests use it to count the API
/// requests a poll costs.
///
/// Endpoint keys: `auth` (logins), `list:<listing>` (listing pages), `get:<listing>`
/// (`GET …/{id}`), `start:<listing>` (`POST …/synchronization-jobs`), `cancel:<listing>`,
/// and `other` (unknown paths and methods under `/api/`). Admin requests (`/sim/…`) are not
/// counted.
public struct SimulatorStats: Sendable, Equatable {
    /// API requests by endpoint key, whatever their answer (faults and 401s included).
    public var requests: [String: Int] = [:]
    /// Successful logins by grant type (`password`, `refresh_token`).
    public var logins: [String: Int] = [:]
    /// Logins answered 401 (bad credentials or unknown refresh token).
    public var rejectedLogins = 0
    /// The serial (upper-case hex) of the TLS client certificate each successful login
    /// presented (whatever its grant; logins without one are not listed), oldest first.
    public var certificateLoginSerials: [String] = []
    /// API requests answered 401 for a missing, unknown or expired token.
    public var unauthorizedRequests = 0
    /// Requests that an injected fault changed.
    public var faultsApplied = 0
    /// Jobs each listing holds now.
    public var jobs: [String: Int] = [:]
    /// Listing requests by their shape (filter, `skip=0` or not, `limit`), whatever their
    /// answer: what kind of read each was (``ListingRequestShape``).
    public var listingShapes: [ListingRequestShape: Int] = [:]

    public init() {}

    /// Every API request counted.
    public var apiRequests: Int { requests.values.reduce(0, +) }

    /// Listing page requests for `listing`.
    public func listingRequests(_ listing: String) -> Int { requests["list:\(listing)"] ?? 0 }

    /// Requests to one endpoint key (see the type's documentation).
    public func requests(_ endpoint: String) -> Int { requests[endpoint] ?? 0 }

    mutating func count(_ endpoint: String) { requests[endpoint, default: 0] += 1 }

    mutating func count(_ shape: ListingRequestShape) { listingShapes[shape, default: 0] += 1 }
}
