import CMWire

/// The finished job ids already counted, so each one is counted once however many polls
/// list it, with its `createdAt` so the ledger can forget jobs CM has purged.
///
/// Forgetting is safe only for a job that no later walk can list again: CM purges the
/// oldest jobs, and a purged job never returns. What a walk or a poll happened to list says
/// nothing of that (a walk cut short by an empty page or by a lagging node's smaller `total`
/// misses old jobs CM still holds), so the ledger forgets only on **observations of CM's
/// oldest job** (``observeListingOldest(_:)``): from the far end of the listing read by a
/// consistency check, or from a complete walk that covered the whole listing. An id is
/// forgotten once two observations in a row agree that nothing older than it is listed:
/// created before the older of the last two.
struct FinishedJobLedger {
    private var createdAtByKey: [JobKey: Double] = [:]
    /// Lower bound of the ledger's `createdAt` values: pruning scans only when it can remove.
    private var oldestCreatedAt = Double.infinity
    private var previousObservedOldest: Double?

    var count: Int { createdAtByKey.count }

    /// Makes room for `count` ids (a no-op when the ledger already has it, as in steady state).
    mutating func reserveCapacity(_ count: Int) {
        createdAtByKey.reserveCapacity(count)
    }

    /// Records `key`; returns true when it was not counted before.
    mutating func insert(_ key: JobKey, createdAt: Double) -> Bool {
        guard createdAtByKey.updateValue(createdAt, forKey: key) == nil else { return false }
        oldestCreatedAt = min(oldestCreatedAt, createdAt)
        return true
    }

    /// Takes one observation of the `createdAt` of CM's oldest listed job, and forgets the ids
    /// created before both this and the previous observation.
    mutating func observeListingOldest(_ observed: Double) {
        defer { previousObservedOldest = observed }
        guard let previous = previousObservedOldest else { return }
        let threshold = min(observed, previous)
        guard oldestCreatedAt < threshold else { return }
        createdAtByKey = createdAtByKey.filter { $0.value >= threshold }
        oldestCreatedAt = createdAtByKey.values.min() ?? .infinity
    }
}

/// The ids of invalid jobs already counted in `cckm_jobs_invalid_total`.
///
/// Invalid jobs may lack a usable `createdAt`, so they are forgotten by absence instead: an id
/// not listed in two consecutive complete listings is dropped (purged, or fixed upstream).
/// Jobs without an id cannot be told apart and are counted on every poll that lists them.
struct InvalidJobLedger {
    private var lastSeenByKey: [JobKey: UInt64] = [:]
    private var listing: UInt64 = 0
    private(set) var totals: [InvalidJobReason: UInt64] = [:]

    var trackedIDs: Int { lastSeenByKey.count }

    mutating func apply(_ invalid: [InvalidJob]) {
        listing += 1
        for job in invalid {
            guard let id = job.id, !id.isEmpty else {
                totals[job.reason, default: 0] += 1
                continue
            }
            if lastSeenByKey.updateValue(listing, forKey: JobKey(id)) == nil {
                totals[job.reason, default: 0] += 1
            }
        }
        let current = listing
        if lastSeenByKey.values.contains(where: { $0 + 1 < current }) {
            lastSeenByKey = lastSeenByKey.filter { $0.value + 1 >= current }
        }
    }
}
