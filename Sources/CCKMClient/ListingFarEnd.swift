import CMWire
import JobMetrics

extension CMClient {
    /// Jobs read at the listing's far end to find its oldest job.
    static let farEndPageSize = 10
    /// Reads of the far end when jobs come and go between the reads (the end moves).
    static let farEndAttempts = 3

    /// The `createdAt` of the listing's oldest valid job now, read at its far end in a request
    /// or few (a purge removes the oldest jobs: what is held older than this is gone), or nil
    /// when the answers do not tell (an empty listing, no valid job at the end, answers that
    /// contradict the order, an end that kept moving).
    ///
    /// Newest first: `skip = total − k`; the page must end the listing (its own `total` the one
    /// the skip was computed from, else read again from the new `total`). Oldest first: the
    /// first page. A listing in no usable order has no far end.
    public func oldestListedJob(
        _ listing: Listing, order: ListingOrder, total: Int, deadline: ContinuousClock.Instant,
        sent: inout Int
    ) throws(CMError) -> Double? {
        let k = Self.farEndPageSize
        switch order {
        case .unordered:
            return nil
        case .oldestFirst:
            let page = try listPage(listing, skip: 0, limit: k, deadline: deadline, sent: &sent)
            return Self.oldest(page.jobs, outOfOrder: >)
        case .newestFirst:
            var total = total
            for _ in 0..<Self.farEndAttempts {
                let skip = max(0, total - k)
                let page = try listPage(listing, skip: skip, limit: k, deadline: deadline, sent: &sent)
                guard let told = page.total, told > 0 else { return nil }
                let delivered = page.jobs.count + page.invalid.count
                if delivered > 0 && skip + delivered >= told { return Self.oldest(page.jobs, outOfOrder: <) }
                total = told
            }
            return nil
        }
    }

    /// The smallest `createdAt` of `jobs`, nil when they are none or not in the listing's order
    /// (`outOfOrder(a, b)` true when a job created at `b` may not follow one created at `a`).
    private static func oldest(_ jobs: [SyncJob], outOfOrder: (Double, Double) -> Bool) -> Double? {
        for (earlier, later) in zip(jobs, jobs.dropFirst())
        where outOfOrder(earlier.createdAt, later.createdAt) {
            return nil
        }
        return jobs.map(\.createdAt).min()
    }
}
