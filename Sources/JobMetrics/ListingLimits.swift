import CMWire

/// What one listing's data may cost, whatever CM sends: a CM (or a proxy in front of it) that
/// invents statuses, scopes or jobs must not grow the exporter's memory or `/metrics` without
/// bound. Each limit that bites counts in `cckm_exporter_limit_reached_total{limit}` and is
/// logged once per poll (docs/SECURITY.md lists them).
public struct ListingLimits: Sendable, Equatable {
    /// Distinct `overall_status` values per listing, the four documented ones and `other`
    /// included; beyond it new statuses fold into `other`.
    public var statuses: Int
    /// `cckm_sync_region_in_progress` series per listing (the count
    /// `cckm_sync_regions_in_progress` stays exact).
    public var regionSeries: Int
    /// Jobs held per listing; a complete walk ends there, later new jobs are not held.
    public var jobs: Int

    public static let defaultStatuses = 100
    public static let defaultRegionSeries = 1000
    public static let defaultJobs = 1_000_000

    /// The status label a folded status gets.
    public static let otherStatus = "other"

    public init(
        statuses: Int = defaultStatuses, regionSeries: Int = defaultRegionSeries, jobs: Int = defaultJobs
    ) {
        // The documented statuses and `other` always fit.
        self.statuses = max(statuses, KnownJobStatus.allCases.count + 1)
        self.regionSeries = max(0, regionSeries)
        self.jobs = max(1, jobs)
    }
}

/// A limit that can bite: the `limit` label of `cckm_exporter_limit_reached_total`.
public enum ListingLimit: String, CaseIterable, Sendable, Comparable {
    case statuses
    case regionSeries = "region_series"
    case jobs
    /// An answer larger than `--cm.max-response-bytes` (refused, the poll fails with `decode`).
    case responseBytes = "response_bytes"

    public static func < (a: ListingLimit, b: ListingLimit) -> Bool { a.rawValue < b.rawValue }
}
