import JobMetrics

/// A listing's size as CM documents it: the `total` of one page of the listing and, with the
/// documented `overall_status` filter, of each documented status. Asked with `limit=1`, so a
/// consistency check costs one small request per status whatever the history's length.
public struct ListingTotals: Sendable, Equatable {
    /// Every entry of the listing.
    public var all: Int
    /// Entries per documented status; empty when the filter is not honoured.
    public var byStatus: [String: Int]
    /// True when an answer showed the `overall_status` filter is ignored (a job of another
    /// status came back): the per-status totals are then left out.
    public var statusFilterIgnored: Bool

    public init(all: Int, byStatus: [String: Int] = [:], statusFilterIgnored: Bool = false) {
        self.all = all
        self.byStatus = byStatus
        self.statusFilterIgnored = statusFilterIgnored
    }

    /// What differs between these totals and the jobs held (nil: they agree). Invalid entries
    /// count in CM's totals under a status the exporter does not know, so per status the
    /// held count may fall short of CM's by at most the invalid entries held.
    public func mismatch(with known: some KnownListing) -> String? {
        if all != known.entryCount { return "total \(all), \(known.entryCount) held" }
        let slack = known.entryCount - known.count
        var shortfall = 0
        for (status, total) in byStatus.sorted(by: { $0.key < $1.key }) {
            let held = Int(clamping: known.jobCount(status: status))
            if held > total || total - held > slack {
                return "\(status) total \(total), \(held) held"
            }
            shortfall += total - held
        }
        return shortfall > slack ? "\(shortfall) jobs by status not held" : nil
    }
}

extension CMClient {
    /// The `total` of `listing` and of each of `statuses` (`limit=1` each). A status whose
    /// answer holds a job of another status shows the filter is ignored: the per-status
    /// totals are dropped (``ListingTotals/statusFilterIgnored``).
    public func totals(
        _ listing: Listing, statuses: [String], deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> ListingTotals {
        let page = try listPage(listing, skip: 0, limit: 1, deadline: deadline, sent: &sent)
        var totals = ListingTotals(all: page.total ?? (page.jobs.count + page.invalid.count))
        for status in statuses {
            let filtered = try listPage(
                listing, skip: 0, limit: 1, filters: [("overall_status", status)], deadline: deadline,
                sent: &sent)
            if filtered.jobs.contains(where: { $0.status != status }) || filtered.total == nil {
                return ListingTotals(all: totals.all, statusFilterIgnored: true)
            }
            totals.byStatus[status] = filtered.total
        }
        return totals
    }
}
