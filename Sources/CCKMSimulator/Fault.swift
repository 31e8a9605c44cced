/// A misbehaviour injected into the next API requests, so tests can see how a client copes.
///
/// Each request takes the first queued fault that applies to it and uses up one of its
/// ``count``. Effects combine: a fault may delay *and* answer 503 with `Retry-After`.
/// Page-shape effects (``totalLies``, ``repeatPage``, ``emptyPageEarly``, ``insertOnPage``)
/// only apply to listing requests (`GET …/synchronization-jobs`).
public struct Fault: Sendable, Equatable {
    /// Which requests a fault may hit.
    public enum Scope: String, Sendable, CaseIterable {
        /// Logins and every `/api/v1/cckm/…` request.
        case all
        /// Only `POST /api/v1/auth/tokens`.
        case auth
        /// Only `/api/v1/cckm/…` requests (listings, get, start, cancel).
        case listings
    }

    public var scope: Scope
    /// Only requests for this listing (e.g. `aws`); nil for any. Logins have no listing.
    public var listing: String?
    /// Requests affected; 0 keeps the fault until ``CCKMSimulator/clearFaults()`` or reset.
    public var count: Int
    /// Answer with this HTTP status and a CipherTrust error body instead of the real answer.
    public var status: Int?
    /// Adds `Retry-After: N` to the answer.
    public var retryAfterSeconds: Int?
    /// Waits this long before answering (the server thread sleeps, the lock is not held).
    public var delayMilliseconds: Int
    /// Cuts the body in the middle (the HTTP message itself stays well formed).
    public var truncate: Bool
    /// Replaces the body with text that is not JSON.
    public var invalidJSON: Bool
    /// Adds this many to the `total` of a listing page.
    public var totalLies: Int
    /// Answers a page after the first with the previous page's jobs (`skip - limit`).
    public var repeatPage: Bool
    /// Answers a listing page with no jobs although `total` says more exist.
    public var emptyPageEarly: Bool
    /// When the request for this 1-based page arrives (`skip / limit + 1`), first insert
    /// ``insertCount`` new running jobs: they push the older ones down a page.
    public var insertOnPage: Int?
    /// How many jobs ``insertOnPage`` inserts.
    public var insertCount: Int

    public init(
        scope: Scope = .all, listing: String? = nil, count: Int = 1, status: Int? = nil,
        retryAfterSeconds: Int? = nil, delayMilliseconds: Int = 0, truncate: Bool = false,
        invalidJSON: Bool = false, totalLies: Int = 0, repeatPage: Bool = false,
        emptyPageEarly: Bool = false, insertOnPage: Int? = nil, insertCount: Int = 3
    ) {
        self.scope = scope
        self.listing = listing
        self.count = count
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.delayMilliseconds = delayMilliseconds
        self.truncate = truncate
        self.invalidJSON = invalidJSON
        self.totalLies = totalLies
        self.repeatPage = repeatPage
        self.emptyPageEarly = emptyPageEarly
        self.insertOnPage = insertOnPage
        self.insertCount = insertCount
    }

    /// True when the fault changes only the shape of listing pages.
    var onlyShapesPages: Bool {
        status == nil && retryAfterSeconds == nil && delayMilliseconds == 0 && !truncate
            && !invalidJSON
    }

    /// Whether this fault applies to a request of `kind` for `listing` at `page` (1-based;
    /// nil when the request is not a listing page).
    func applies(to kind: RequestKind, listing requestListing: String?, page: Int?) -> Bool {
        switch (scope, kind) {
        case (.auth, .api), (.listings, .auth): return false
        default: break
        }
        if let listing, listing != requestListing { return false }
        if onlyShapesPages || insertOnPage != nil || repeatPage {
            guard let page else { return false }
            if let insertOnPage, insertOnPage != page { return false }
            if repeatPage && page < 2 { return false }
        }
        return true
    }

    /// The two kinds of API request a fault distinguishes.
    enum RequestKind { case auth, api }
}
