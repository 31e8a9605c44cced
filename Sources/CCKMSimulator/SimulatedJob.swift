/// One synchronization job as the simulator keeps it: a plan, not a rendered document.
///
/// What the job looks like at any moment (status, `detailed_status`, `updatedAt`, …) is
/// computed from the plan and the clock by ``timeline(at:)``, so jobs progress without a
/// ticker and a manual clock makes them deterministic. Scope entries run in batches of
/// ``parallel``: batch `b` runs from `createdAt + b·batchSeconds` for `batchSeconds`.
struct SimulatedJob: Sendable {
    var id: JobID
    var createdAt: Double
    /// Seconds one batch of scope entries takes.
    var batchSeconds: Double
    /// When the job finishes; `.infinity` while it has no end (``JobOutcome/running``).
    var endAt: Double
    /// When a cancel was requested; `.infinity` when none was.
    var abortAt: Double = .infinity
    /// Index of the job's ``ScopePattern`` in its listing's store.
    var pattern: UInt32
    /// Index of a custom `overall_status` in the store (``StoredOutcome/custom``): `UInt32`,
    /// since statuses are free text and 65,536 of them must not trap. Next to `pattern`, so
    /// the small fields after it still pack a job into 64 bytes.
    var customStatus: UInt32 = 0
    var entryCount: UInt16
    var parallel: UInt8
    var outcome: StoredOutcome
    /// The entry whose error ends a failed job.
    var failIndex: UInt16 = 0
    /// The last batch never finishes by itself (a job created ``JobOutcome/running``).
    var lastBatchOpen = false
    var completedAtStyle: CompletedAtStyle

    var batchCount: Int { (Int(entryCount) + Int(parallel) - 1) / Int(parallel) }

    func batch(of entry: Int) -> Int { entry / Int(parallel) }

    func entryStart(_ entry: Int) -> Double {
        createdAt + Double(batch(of: entry)) * batchSeconds
    }

    func entryEnd(_ entry: Int) -> Double {
        if lastBatchOpen && batch(of: entry) == batchCount - 1 { return .infinity }
        // The same expression as a batch count times batchSeconds, so the last batch ends
        // exactly when a completed job does.
        return createdAt + Double(batch(of: entry) + 1) * batchSeconds
    }

    func isFinished(at now: Double) -> Bool { now >= endAt }

    /// Requests a cancel at `now`: `abort` turns true and the job ends `delay` seconds later,
    /// unless it finishes on its own before. Returns false for a finished job.
    mutating func cancel(at now: Double, delay: Double) -> Bool {
        guard !isFinished(at: now) else { return false }
        abortAt = min(abortAt, now)
        if endAt > now + delay {
            endAt = now + delay
            outcome = .aborted
        }
        return true
    }

    /// The job as the API shows it at `now`.
    func timeline(at now: Double) -> JobTimeline {
        let finished = isFinished(at: now)
        let horizon = min(now, endAt)
        var updatedAt = createdAt
        // Nothing new starts once a cancel arrives or the job has ended, and what was running
        // when the cancel came never finishes: CM leaves it at a stale `in_progress`.
        let startLimit = min(endAt, abortAt)
        let finishLimit = min(horizon, abortAt) + 1e-9  // forced durations may round a hair over
        var entries: [EntryState] = []
        for entry in 0..<Int(entryCount) {
            let start = entryStart(entry)
            let shown = batch(of: entry) == 0 || (start <= horizon && start < startLimit)
            guard shown else { break }  // entries start in order
            updatedAt = max(updatedAt, start)
            let end = entryEnd(entry)
            if end <= finishLimit {
                updatedAt = max(updatedAt, end)
                let failedHere = outcome == .failed && entry == Int(failIndex)
                entries.append(failedHere ? .failed : .synchronized)
            } else {
                entries.append(.inProgress)
            }
        }
        if abortAt <= now { updatedAt = max(updatedAt, abortAt) }
        // CM writes updatedAt a moment after completed_at (see the reference example).
        if finished { updatedAt = endAt + 0.000_152 }
        return JobTimeline(
            finished: finished, abortRequested: abortAt <= now, updatedAt: updatedAt,
            completedAt: finished ? endAt : nil, entries: entries)
    }
}

/// How a job ends, compactly (custom statuses live in the store's table).
enum StoredOutcome: UInt8, Sendable {
    case completed, failed, aborted, running, custom
}

/// The state of one `detailed_status` entry; the listing supplies the text.
enum EntryState: UInt8, Sendable {
    case inProgress, synchronized, failed
}

/// A job at one moment.
struct JobTimeline: Sendable, Equatable {
    var finished: Bool
    var abortRequested: Bool
    var updatedAt: Double
    /// nil while the job runs.
    var completedAt: Double?
    /// The entries started so far, in pattern order.
    var entries: [EntryState]
}
