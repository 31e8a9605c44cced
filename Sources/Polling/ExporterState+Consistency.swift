import CCKMClient
import JobMetrics

/// What the consistency checks tell ``ExporterState``: observations of CM's oldest job, purges
/// repaired without a walk, and a mismatch no walk explains.
extension ExporterState {
    /// One observation of the `createdAt` of CM's oldest listed job (see
    /// ``ListingAggregator/observeListingOldest(_:)``). Returns false when `owner` no longer
    /// polls `key`.
    @discardableResult
    func observeOldest(_ key: ListingKey, owner: Int, createdAt: Double) -> Bool {
        update(key, owner: owner) { $0.aggregator.observeListingOldest(createdAt) }
    }

    /// Drops the jobs held that CM's far end shows purged (created before its newest job
    /// there and not listed there) and takes its oldest job as an observation of CM's oldest.
    /// Returns how many jobs were dropped, or nil when `owner` no longer polls `key`.
    func dropPurged(_ key: ListingKey, owner: Int, farEnd: ListingFarEnd) -> Int? {
        var dropped = 0
        let applied = update(key, owner: owner) { record in
            dropped = record.aggregator.dropJobs(createdBefore: farEnd.newest, except: farEnd.keys)
            record.aggregator.observeListingOldest(farEnd.oldest)
        }
        return applied ? dropped : nil
    }

    /// Sets what the status page says of a remembered totals mismatch (nil: none).
    @discardableResult
    func setConsistencyNote(_ key: ListingKey, owner: Int, _ note: String?) -> Bool {
        update(key, owner: owner) { $0.health.consistencyNote = note }
    }
}

extension ExporterState {
    /// The finished ids the listing's ledger holds (``ListingAggregator/trackedFinishedJobs``),
    /// or nil when `owner` no longer polls `key`.
    func trackedFinishedJobs(_ key: ListingKey, owner: Int) -> Int? {
        var tracked: Int?
        _ = update(key, owner: owner) { tracked = $0.aggregator.trackedFinishedJobs }
        return tracked
    }
}
