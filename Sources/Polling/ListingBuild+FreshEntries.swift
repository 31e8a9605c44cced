import CCKMClient
import JobMetrics

extension ListingBuild {
    /// Takes one page's new entries, with the keys the client's pager computed: how a
    /// complete walk's pages reach the aggregation.
    public mutating func add(_ fresh: FreshEntries) {
        if jobCount == 0, let total = fresh.listingTotal { reserveCapacity(total) }
        for (job, key) in zip(fresh.jobs, fresh.keys) { add(job, key: key) }
        for entry in fresh.invalid { add(invalid: entry) }
    }
}
