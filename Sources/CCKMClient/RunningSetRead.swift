import CMWire

/// The changes of one poll: the newest jobs, then the running set's current state.
struct RunningSetRead {
    var jobs: [SyncJob]
    var seen: Set<String>

    init(head: NewestJobs) {
        jobs = head.jobs
        seen = head.seen
    }

    mutating func take(_ job: SyncJob) {
        if seen.insert(job.id).inserted { jobs.append(job) }
    }
}

/// The running set's current state in an incremental poll, after the newest jobs: the pass over
/// the `overall_status=in_progress` filter (``RunningSetRound``), then, once a pass is whole (or
/// the CM ignores the filter), the jobs held as running that neither showed, read one by one
/// (``RunningJobReads``).
extension IncrementalLister {
    /// Reads the running set into `running`; returns why a complete walk is needed, if one is.
    /// Notes in `progress` whether every job held as running was seen again
    /// (``ListingProgress/runningHeldIsCurrent``). With `catchUpReadsOn` (this poll opened a
    /// newest-first catch-up), the jobs the one-by-one reads would ask for are left to the
    /// catch-up's page once (``RunningJobReads/leaveToCatchUp(besides:seen:)``).
    func readRunning(
        _ listing: Listing, _ running: inout RunningSetRead, reads: inout RunningJobReads,
        known: some KnownListing, statusFilter: inout StatusFilterSupport, progress: inout ListingProgress,
        catchUpReadsOn: Bool, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        var current = true
        if reads.missing.isEmpty {
            progress.runningSet = RunningSetRound()
            progress.leftToCatchUp = []
        } else {
            if statusFilter != .ignored {
                let passUnderWay = progress.runningSet.isStarted
                statusFilter = try readRunningSet(
                    listing, &running, known: known, round: &progress.runningSet, budget: reads.budget,
                    deadline: deadline, sent: &sent)
                current = !passUnderWay && progress.runningSet.isComplete
            }
            // The jobs held as running that a whole pass over the running set did not show.
            if statusFilter == .ignored || progress.runningSet.isComplete {
                reads.skip(progress.runningSet.seen)
                progress.runningSet = RunningSetRound()
                progress.leftToCatchUp =
                    catchUpReadsOn
                    ? reads.leaveToCatchUp(besides: progress.leftToCatchUp, seen: running.seen) : []
                if let problem = try reads.read(
                    listing, client: client, into: &running, progress: &progress, deadline: deadline,
                    sent: &sent)
                {
                    return problem
                }
                current = current && !reads.cutShort && progress.leftToCatchUp.isEmpty
            }
        }
        progress.runningHeldIsCurrent = current
        return nil
    }
}
