/// A misbehaviour injected into the next API requests, so tests can see how a client copes.
///
/// Each request takes the first queued fault that applies to it and uses up one of its
/// ``count``. Effects combine: a fault may delay *and* answer 503 with `Retry-After`.
/// Page-shape effects (``totalLies``, ``omitTotal``, ``repeatPage``, ``ignoresSkip``,
/// ``emptyPageEarly``, ``insertOnPage``) and ``page`` only apply to listing requests
/// (`GET …/synchronization-jobs`).
///
/// These are the lying, slow and broken servers the client tests script, over real HTTP; the
/// tests keep servers of their own only for what the simulator should not do (echo secrets,
/// gzip a page, cut a body mid-stream).
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
    /// Only the request for this 1-based listing page (`skip / limit + 1`); nil for any.
    public var page: Int?
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
    /// Replaces the body with this text, whatever the answer's status (a scripted page, a
    /// proxy's HTML error, an empty body).
    public var body: String?
    /// Adds this many to the `total` of a listing page.
    public var totalLies: Int
    /// Leaves `total` out of a listing page.
    public var omitTotal: Bool
    /// Answers a page after the first with the previous page's jobs (`skip - limit`).
    public var repeatPage: Bool
    /// Answers a listing page from `skip=0` whatever was asked, as a server that ignores `skip`.
    public var ignoresSkip: Bool
    /// Answers a listing page with no jobs although `total` says more exist.
    public var emptyPageEarly: Bool
    /// When the request for this 1-based page arrives (`skip / limit + 1`), first insert
    /// ``insertCount`` new running jobs: they push the older ones down a page.
    public var insertOnPage: Int?
    /// How many jobs ``insertOnPage`` inserts.
    public var insertCount: Int

    public init(
        scope: Scope = .all, listing: String? = nil, page: Int? = nil, count: Int = 1,
        status: Int? = nil, retryAfterSeconds: Int? = nil, delayMilliseconds: Int = 0,
        truncate: Bool = false, invalidJSON: Bool = false, body: String? = nil,
        totalLies: Int = 0, omitTotal: Bool = false, repeatPage: Bool = false,
        ignoresSkip: Bool = false, emptyPageEarly: Bool = false, insertOnPage: Int? = nil,
        insertCount: Int = 3
    ) {
        self.scope = scope
        self.listing = listing
        self.page = page
        self.count = count
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.delayMilliseconds = delayMilliseconds
        self.truncate = truncate
        self.invalidJSON = invalidJSON
        self.body = body
        self.totalLies = totalLies
        self.omitTotal = omitTotal
        self.repeatPage = repeatPage
        self.ignoresSkip = ignoresSkip
        self.emptyPageEarly = emptyPageEarly
        self.insertOnPage = insertOnPage
        self.insertCount = insertCount
    }

    /// True when the fault changes only the shape of listing pages.
    var onlyShapesPages: Bool {
        status == nil && retryAfterSeconds == nil && delayMilliseconds == 0 && !truncate
            && !invalidJSON && body == nil
    }

    /// Whether this fault applies to a request of `kind` for `listing` at `requestPage`
    /// (1-based; nil when the request is not a listing page).
    func applies(to kind: RequestKind, listing requestListing: String?, page requestPage: Int?)
        -> Bool
    {
        switch (scope, kind) {
        case (.auth, .api), (.listings, .auth): return false
        default: break
        }
        if let listing, listing != requestListing { return false }
        if onlyShapesPages || insertOnPage != nil || repeatPage || page != nil {
            guard let requestPage else { return false }
            if let page, page != requestPage { return false }
            if let insertOnPage, insertOnPage != requestPage { return false }
            if repeatPage && requestPage < 2 { return false }
        }
        return true
    }

    /// The two kinds of API request a fault distinguishes.
    enum RequestKind { case auth, api }
}
