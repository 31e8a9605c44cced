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
