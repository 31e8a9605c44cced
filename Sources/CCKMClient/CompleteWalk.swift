/// A walk over every page of one listing that can be resumed: one ``step(_:_:deadline:onPage:)``
/// fetches one page, so a poller interleaves a long walk with its other listings' polls, and a
/// page that fails is retried where it failed instead of starting the walk again.
///
/// Nothing bounds a walk but its owner: on a CM that pages a 100k-job history slowly the walk
/// takes as long as CM needs (the poller gives it a budget of its own, `--poll.walk-timeout`).
/// Paging rules and de-duplication are the ``ListingPager``'s, its pages overlapping so that a
/// page past jobs no page showed (a cluster node that lags) is asked again; the ``order`` of
/// the jobs seen tells whether `sort=-createdAt` was honoured.
public struct CompleteWalk: Sendable {
    private var pager: ListingPager
    private var orderObserver = ListingOrderObserver()
    /// HTTP requests sent for this walk: retries, logins and failed pages included.
    public private(set) var requests = 0
    /// Entries (valid and invalid) taken in so far, each id once.
    public private(set) var entries = 0
    /// The listing's `total` as the last page said.
    public private(set) var total: Int?
    /// True once the walk reached the end of the listing.
    public private(set) var isComplete = false

    public init(pageSize: Int) {
        pager = ListingPager(limit: pageSize, overlapping: true)
    }

    /// Pages taken in so far.
    public var pages: Int { pager.pages }
    /// What looked wrong with CM's paging (for the log).
    public var anomalies: [String] { pager.anomalies }
    /// The order the jobs came in.
    public var order: ListingOrder { orderObserver.order }
    /// True when the walk listed the whole listing as CM counts it: it reached the end with
    /// no paging anomaly and took in at least the largest `total` a page gave. A walk cut
    /// short (an empty page early, a lagging node's smaller `total` on a late page) is not:
    /// its oldest job says nothing of what CM still holds.
    public var coversTheListing: Bool {
        isComplete && anomalies.isEmpty && entries >= pager.largestTotal
    }

    /// True when the walk covered the listing and listed exactly as many entries as its last
    /// page's `total` counts: what it held when applied agreed with CM's total then, so a
    /// later difference in that total arose after it.
    public var agreesWithTotal: Bool {
        coversTheListing && entries == total
    }

    /// Fetches the next page and hands its new entries to `onPage`; returns ``isComplete``.
    /// - Throws: ``CMError`` when the page fails: the walk stays where it was, and the next
    ///   step asks for the same page again.
    @discardableResult
    public mutating func step(
        _ client: CMClient, _ listing: Listing, filters: [(String, String)] = [],
        deadline: ContinuousClock.Instant, onPage: (FreshEntries) -> Void
    ) throws(CMError) -> Bool {
        precondition(!isComplete, "step after the walk completed")
        var sent = 0
        defer { requests += sent }
        let page = try client.listPage(
            listing, skip: pager.nextSkip, limit: pager.limit, filters: filters, deadline: deadline,
            sent: &sent)
        let absorbed = pager.absorb(page)
        for job in absorbed.fresh.jobs { orderObserver.observe(job.createdAt) }
        entries += absorbed.fresh.jobs.count + absorbed.fresh.invalid.count
        total = page.total ?? total
        onPage(absorbed.fresh)
        isComplete = !absorbed.more
        return isComplete
    }
}

extension CMClient {
    /// Every job of `listing` (matching `filters`): a ``CompleteWalk`` run in one go, until
    /// `skip >= total` or an empty page, each page's new entries (de-duplicated by ``JobKey``
    /// across pages) handed to `onPage` as soon as it is decoded, so the whole listing never
    /// needs to be in memory at once.
    ///
    /// - Parameter filters: query arguments added to each page request, e.g.
    ///   `[("overall_status", "in_progress"), ("kms", "a"), ("kms", "b")]`; values are
    ///   URL-encoded and a key may repeat.
    /// - Throws: ``CMError`` when any page fails. `onPage` has then seen only part of the
    ///   listing: the caller must drop what it built from it.
    public func listJobs(
        _ listing: Listing, filters: [(String, String)] = [], deadline: ContinuousClock.Instant,
        onPage: (FreshEntries) -> Void
    ) throws(CMError) -> ListingWalk {
        var walk = CompleteWalk(pageSize: pageSize)
        while try !walk.step(self, listing, filters: filters, deadline: deadline, onPage: onPage) {}
        return ListingWalk(pages: walk.pages, requests: walk.requests, anomalies: walk.anomalies)
    }
}

/// How one streamed listing walk went (its entries went to the page callback).
public struct ListingWalk: Sendable, Equatable {
    /// Pages fetched (answers decoded), the final empty one included.
    public var pages: Int
    /// HTTP requests sent to CM for this walk: retries and logins included.
    public var requests: Int
    /// What looked wrong with CM's paging (a `total` that lies, repeated pages), for the log.
    public var anomalies: [String]

    public init(pages: Int, requests: Int, anomalies: [String] = []) {
        self.pages = pages
        self.requests = requests
        self.anomalies = anomalies
    }
}
