import CMWire
import JobMetrics

/// What a read of the newest jobs checks when it meets a job it already holds: the first one
/// met must be the one it expects (the newest held, or a catch-up's anchor), and a finished job
/// must not have changed. Shared by the head read (``IncrementalLister``) and the catch-up
/// (``CatchUpGap``).
enum KnownJobMet {
    /// Returns why the read cannot be trusted, if it cannot; `reached` becomes true at the
    /// first held job.
    static func check(
        _ job: SyncJob, in known: some KnownListing, expected: Double?, reached: inout Bool
    ) -> String? {
        guard let status = known.status(of: job.id) else { return nil }
        if !reached && job.createdAt != expected {
            return "the newest known job is not the first known job listed"
        }
        reached = true
        if status != KnownJobStatus.inProgress.rawValue && status != job.status {
            return "a finished job changed its status"
        }
        return nil
    }
}
