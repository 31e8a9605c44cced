import CMWire
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

    /// What differs between these totals and the jobs held (nil: they agree), when nothing
    /// changed between the reads (a quiet listing, a test).
    public func mismatch(with known: some KnownListing) -> TotalsMismatch? {
        let held = HeldCounts(known)
        return mismatch(heldBefore: held, heldAfter: held)
    }

    /// What differs between these totals and the jobs held (nil: they agree), the totals
    /// having been read after `before` was held and before `after` was (an incremental poll
    /// in between). Jobs created or finished while the totals were read cannot make a
    /// mismatch: each total is compared with the range it could honestly have had.
    ///
    /// - `total`: from the entries held before to those held after (entries only come).
    /// - a finished status: from its jobs held before (finished jobs stay) to those held after.
    /// - `in_progress`: a job running at the read was held running before or is new, and a
    ///   job held running after that was held before ran all along: from the running held after
    ///   less the new jobs, to the running held before plus the new jobs.
    ///
    /// Invalid entries count in CM's totals under a status the exporter does not know, so a
    /// status's total may exceed its range by the invalid entries held, and all statuses
    /// together too.
    public func mismatch(heldBefore before: HeldCounts, heldAfter after: HeldCounts) -> TotalsMismatch? {
        var excess: [String: Int] = [:]
        let all = Self.outside(all, from: before.entries, to: max(before.entries, after.entries))
        if all != 0 { excess[TotalsMismatch.allEntries] = all }
        let slack = max(before.invalid, after.invalid)
        let new = max(0, after.entries - before.entries)
        var shortfall = 0
        for (status, total) in byStatus {
            let range: (Int, Int) =
                status == KnownJobStatus.inProgress.rawValue
                ? (max(0, after.count(status) - new), before.count(status) + new)
                : (before.count(status), max(before.count(status), after.count(status)))
            var outside = Self.outside(total, from: range.0, to: range.1)
            if outside > 0 {
                shortfall += outside
                outside = outside > slack ? outside - slack : 0
            }
            if outside != 0 { excess[status] = outside }
        }
        if excess.isEmpty, shortfall > slack { excess[TotalsMismatch.byStatus] = shortfall - slack }
        return excess.isEmpty ? nil : TotalsMismatch(excess: excess, totals: self, held: after)
    }

    /// How far `value` lies above `upper` (positive) or below `lower` (negative); 0 within.
    private static func outside(_ value: Int, from lower: Int, to upper: Int) -> Int {
        value > upper ? value - upper : value < lower ? value - lower : 0
    }
}

/// What is held of a listing at one moment, as a consistency check compares it: a few
/// numbers, not the table (holding a copy of the table while a poll applies its changes
/// would copy it whole).
public struct HeldCounts: Sendable, Equatable {
    /// Valid jobs plus invalid entries: what CM's `total` should be.
    public var entries: Int
    /// Invalid entries.
    public var invalid: Int
    /// Valid jobs per documented status.
    public var byStatus: [String: Int]

    public init(_ known: some KnownListing) {
        entries = known.entryCount
        invalid = known.entryCount - known.count
        byStatus = Dictionary(
            uniqueKeysWithValues: KnownJobStatus.allCases.map {
                ($0.rawValue, Int(clamping: known.jobCount(status: $0.rawValue)))
            })
    }

    func count(_ status: String) -> Int { byStatus[status] ?? 0 }
}

/// How CM's totals differ from what is held: per total (`total`, a status, or the statuses
/// together), how far it lies outside what the jobs held allow; positive when CM counts
/// more. Two checks that find the same excess found the same mismatch.
public struct TotalsMismatch: Sendable, Equatable, CustomStringConvertible {
    /// The key of the listing's `total`.
    public static let allEntries = "total"
    /// The key of the statuses together (each within its range, their sum not).
    public static let byStatus = "statuses together"

    public var excess: [String: Int]
    /// The totals read and what was held after them, for the log.
    public var totals: ListingTotals
    public var held: HeldCounts

    /// True when CM holds fewer entries than the exporter: a purge (or a deletion).
    public var cmHoldsFewer: Bool { (excess[Self.allEntries] ?? 0) < 0 }

    public static func == (a: TotalsMismatch, b: TotalsMismatch) -> Bool { a.excess == b.excess }

    public var description: String {
        excess.sorted { $0.key < $1.key }.map { key, excess in
            let told = key == Self.allEntries ? totals.all : totals.byStatus[key]
            let held = key == Self.allEntries ? self.held.entries : self.held.byStatus[key]
            return "\(key) \(excess > 0 ? "+" : "")\(excess)"
                + (told.map { " (CM \($0), \(held.map(String.init) ?? "?") held)" } ?? "")
        }.joined(separator: ", ")
    }
}

extension CMClient {
    /// The `total` of `listing` and of each of `statuses` (`limit=1` each). A status whose
    /// answer holds a job of another status shows the filter is ignored: the per-status
    /// totals are dropped (``ListingTotals/statusFilterIgnored``).
    ///
    /// CM leaves `resources` and `total` out of an answer that matches nothing (API-FACTS):
    /// an empty first page is 0 entries. A page that holds entries but no `total` tells no
    /// size: a status answered so is left out, and without the listing's own `total` there is
    /// nothing to compare (nil), never a size guessed from the page.
    public func totals(
        _ listing: Listing, statuses: [String], deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> ListingTotals? {
        let page = try listPage(listing, skip: 0, limit: 1, deadline: deadline, sent: &sent)
        guard let all = Self.total(of: page) else { return nil }
        var totals = ListingTotals(all: all)
        for status in statuses {
            let filtered = try listPage(
                listing, skip: 0, limit: 1, filters: [("overall_status", status)], deadline: deadline,
                sent: &sent)
            if filtered.jobs.contains(where: { $0.status != status }) {
                return ListingTotals(all: totals.all, statusFilterIgnored: true)
            }
            totals.byStatus[status] = Self.total(of: filtered)
        }
        return totals
    }

    /// A first page's `total`; 0 for an empty page without one, nil for entries without one.
    private static func total(of page: JobPage) -> Int? {
        page.total ?? (page.jobs.isEmpty && page.invalid.isEmpty ? 0 : nil)
    }
}
