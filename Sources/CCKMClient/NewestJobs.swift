import CMWire

/// The newest jobs of one incremental poll and the checks on them.
struct NewestJobs {
    let known: any KnownListing
    var jobs: [SyncJob] = []
    var invalid: [InvalidJob] = []
    var seen: Set<String> = []
    var total: Int?
    var pages = 0
    var reachedKnown = false
    var openedCatchUp = false
    private var previousCreatedAt = Double.infinity
    /// The order the newest-first pages' jobs come in (``ListingOrderObserver/contradiction(of:)``).
    private var order = ListingOrderObserver()

    /// `createdAt` of the oldest job read, newest first.
    var oldestCreatedAt: Double? { previousCreatedAt < .infinity ? previousCreatedAt : nil }

    init(known: any KnownListing) {
        self.known = known
    }

    /// Takes one newest-first page; returns why it cannot be trusted, if it cannot.
    mutating func absorbNewestFirst(_ page: JobPage, newestKnown: Double?) -> String? {
        pages += 1
        for job in page.jobs where !seen.contains(job.id) {
            // Only jobs not seen on an earlier page are checked: a page that starts with jobs
            // of the previous one is the listing moving (jobs created between the pages).
            order.observe(job.createdAt)
            if let problem = order.contradiction(of: .newestFirst) { return problem }
            previousCreatedAt = job.createdAt
            if let problem = check(job, newestKnown: newestKnown) { return problem }
            take(job)
        }
        takeInvalid(page.invalid)
        return nil
    }

    /// Takes an oldest-first window that ends at the listing's end.
    mutating func absorbOldestFirst(_ window: TailWindow, newestKnown: Double) -> String? {
        pages += window.pages
        var windowOrder = ListingOrderObserver()
        for job in window.jobs {
            windowOrder.observe(job.createdAt)
            if let problem = windowOrder.contradiction(of: .oldestFirst) { return problem }
        }
        // Checked newest first, so "the first known job" means the same in both orders.
        for job in window.jobs.reversed() {
            if let problem = check(job, newestKnown: newestKnown) { return problem }
            take(job)
        }
        takeInvalid(window.invalid)
        return reachedKnown ? nil : "the newest known job is no longer listed"
    }

    /// The first known job met, newest first, must be the newest known one; a finished job
    /// must not change.
    private mutating func check(_ job: SyncJob, newestKnown: Double?) -> String? {
        KnownJobMet.check(job, in: known, expected: newestKnown, reached: &reachedKnown)
    }

    private mutating func take(_ job: SyncJob) {
        if seen.insert(job.id).inserted { jobs.append(job) }
    }

    /// Invalid entries with an id are kept; one without an id cannot be matched across polls
    /// and is counted only by complete walks.
    private mutating func takeInvalid(_ entries: [InvalidJob]) {
        for entry in entries {
            guard let id = entry.id, !id.isEmpty else { continue }
            if seen.insert(id).inserted { invalid.append(entry) }
        }
    }
}
