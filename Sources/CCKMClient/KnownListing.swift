import CMWire

/// What the client needs to know of a listing as last applied, to read only what changed
/// (``IncrementalLister``) and to check CM's totals against it (``ListingTotals``). The
/// exporter's `KnownJobs` conforms (in `Polling`), so the client holds no aggregation state.
public protocol KnownListing {
    /// Valid jobs held.
    var count: Int { get }
    /// Valid jobs plus the invalid entries held: what CM's `total` should be.
    var entryCount: Int { get }
    /// `createdAt` of the newest job held.
    var newestCreatedAt: Double? { get }
    /// The jobs held as running (`in_progress`), in no particular order.
    var runningJobs: [SyncJob] { get }
    /// Whether a job with this `id` is held.
    func contains(_ id: String) -> Bool
    /// The `overall_status` held for this `id`, nil when it is not held.
    func status(of id: String) -> String?
    /// How many jobs are held with this `overall_status`.
    func jobCount(status: String) -> UInt64
    /// The `overall_status` a job listed with `status` is held under: `status` itself, or
    /// `other` when it is one the statuses limit folds.
    func heldStatus(_ status: String) -> String
}
