import CMWire

/// The jobs read from the end of an oldest-first listing, in listing order.
struct TailWindow {
    var jobs: [SyncJob] = []
    var invalid: [InvalidJob] = []
    var pages = 0

    mutating func append(_ page: JobPage) {
        pages += 1
        jobs += page.jobs
        invalid += page.invalid
    }

    mutating func prepend(_ page: JobPage) {
        pages += 1
        jobs = page.jobs + jobs
        invalid = page.invalid + invalid
    }

    /// True when a known job created at `createdAt` (the newest known) is in the window.
    func contains(createdAt: Double, in known: some KnownListing) -> Bool {
        jobs.contains { $0.createdAt == createdAt && known.contains($0.id) }
    }
}
