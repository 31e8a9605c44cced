import CMWire
import JobMetrics

/// The jobs at a listing's far end, its oldest: what a purge left of the old end.
///
/// In a listing ordered by `createdAt`, every job CM lists created before ``newest`` is on
/// the far-end page: a held job created before it and not among ``keys`` is gone, though
/// older jobs remain (CM's retention removes the oldest *finished* jobs and leaves an old
/// running one).
public struct ListingFarEnd: Sendable, Equatable {
    /// The `createdAt` of the listing's oldest valid job.
    public var oldest: Double
    /// The largest `createdAt` on the far-end page.
    public var newest: Double
    /// The jobs on the far-end page.
    public var keys: Set<JobKey>
}

extension CMClient {
    /// Jobs read at the listing's far end to find its oldest job.
    static let farEndPageSize = 10
    /// Reads of the far end when jobs come and go between the reads (the end moves).
    static let farEndAttempts = 3

    /// The listing's far end now (``ListingFarEnd``), read in a request or few (a purge
    /// removes old jobs: what is held from there and not listed is gone), or nil when the
    /// answers do not tell (an empty listing, no valid job at the end, answers that contradict
    /// the order, an end that kept moving).
    ///
    /// Newest first: `skip = total − k`; the page must end the listing (its own `total` the one
    /// the skip was computed from, else read again from the new `total`). Oldest first: the
    /// first page. A listing in no usable order has no far end.
    public func farEnd(
        _ listing: Listing, order: ListingOrder, total: Int, deadline: ContinuousClock.Instant,
        sent: inout Int
    ) throws(CMError) -> ListingFarEnd? {
        let k = Self.farEndPageSize
        switch order {
        case .unordered:
            return nil
        case .oldestFirst:
            let page = try listPage(listing, skip: 0, limit: k, deadline: deadline, sent: &sent)
            return Self.farEnd(page.jobs, outOfOrder: >)
        case .newestFirst:
            var total = total
            for _ in 0..<Self.farEndAttempts {
                let skip = max(0, total - k)
                let page = try listPage(listing, skip: skip, limit: k, deadline: deadline, sent: &sent)
                guard let told = page.total, told > 0 else { return nil }
                let delivered = page.jobs.count + page.invalid.count
                if delivered > 0 && skip + delivered >= told { return Self.farEnd(page.jobs, outOfOrder: <) }
                total = told
            }
            return nil
        }
    }

    /// The far end `jobs` show, nil when they are none or not in the listing's order
    /// (`outOfOrder(a, b)` true when a job created at `b` may not follow one created at `a`).
    private static func farEnd(_ jobs: [SyncJob], outOfOrder: (Double, Double) -> Bool) -> ListingFarEnd? {
        for (earlier, later) in zip(jobs, jobs.dropFirst())
        where outOfOrder(earlier.createdAt, later.createdAt) {
            return nil
        }
        let times = jobs.map(\.createdAt)
        guard let oldest = times.min(), let newest = times.max() else { return nil }
        return ListingFarEnd(oldest: oldest, newest: newest, keys: Set(jobs.map { JobKey($0.id) }))
    }
}
