/// The jobs of one listing, oldest first, with what is needed to plan more.
///
/// Jobs are appended in `createdAt` order, so "newest first" is the array read backwards and
/// a default listing page costs O(limit), whatever the history size.
struct JobStore: Sendable {
    let listing: ListingDescriptor
    private(set) var jobs: [SimulatedJob] = []
    private var positions: [JobID: Int] = [:]
    /// Shared scope patterns; the first ``randomPatternCount`` are drawn for random jobs.
    private(set) var patterns: [ScopePattern] = []
    /// Custom `overall_status` values of ``JobOutcome/status(_:)`` jobs.
    private(set) var customStatuses: [String] = []
    /// Where each of ``customStatuses`` is, so interning one more costs the same for the
    /// 100,000th as for the first.
    private var customStatusIndex: [String: UInt32] = [:]
    private var random: SeededRandom
    /// When the next random job starts; `.infinity` when none will.
    private var nextJobAt: Double = .infinity
    /// Random jobs started since the history (the first ones are forced, see ``warmUp``).
    private var newJobs = 0

    private static let randomPatternCount = 8
    /// Most jobs one catch-up creates (after a long idle spell with the system clock).
    private static let catchUpLimit = 10_000

    /// A store with `history` finished jobs that all ended before `now`.
    init(
        listing: ListingDescriptor, seed: UInt64, history: Int, stuck: Int = 0,
        settings: SimulatorSettings, now: Double
    ) {
        self.listing = listing
        random = SeededRandom(seed: seed, stream: listing.name)
        patterns.append(listing.shape.fullPattern())
        while patterns.count < Self.randomPatternCount {
            patterns.append(listing.shape.randomPattern(using: &random))
        }
        seedHistory(count: history, stuck: stuck, settings: settings, now: now)
        scheduleFirstJob(settings: settings, now: now)
    }

    /// `count` jobs that ended before `now`, but for `stuck` of them spread over the history,
    /// which never finish.
    private mutating func seedHistory(count: Int, stuck: Int, settings: SimulatorSettings, now: Double) {
        let widest = patterns.map(\.entries.count).max() ?? 1
        let tail = settings.longestDuration(entries: widest) + 1
        let gap = settings.newJobIntervalSeconds > 0 ? settings.newJobIntervalSeconds : 15
        let start = now - tail - Double(count) * gap
        jobs.reserveCapacity(count)
        positions.reserveCapacity(count)
        for index in 0..<count {
            // Jitter under half a gap keeps createdAt increasing.
            let createdAt = start + (Double(index) + random.between(-0.33, 0.33)) * gap
            if stuck > 0 && index % max(1, count / stuck) == 0 && index / max(1, count / stuck) < stuck {
                let pattern = UInt32(random.next() % UInt64(Self.randomPatternCount))
                append(
                    JobPlanner.forcedJob(
                        createdAt: createdAt, pattern: pattern,
                        entryCount: patterns[Int(pattern)].entries.count,
                        outcome: .running, customStatus: 0, duration: 1, style: nil, settings: settings,
                        random: &random))
            } else {
                appendRandomJob(createdAt: createdAt, settings: settings)
            }
        }
    }

    /// Share of aborted random jobs that end `completed` with `abort: true` (``LifeSettings``).
    var cancelledCompletedShare = 0.0

    /// Removes the jobs at `indices` (purged, deleted) and returns them.
    mutating func removeJobs(at indices: [Int]) -> [SimulatedJob] {
        let doomed = Set(indices)
        let removed = indices.sorted().map { jobs[$0] }
        jobs = jobs.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
        positions = Dictionary(uniqueKeysWithValues: jobs.enumerated().map { ($1.id, $0) })
        return removed
    }

    /// The store as a node `time` seconds old saw it: only the jobs created by then, with
    /// `restored` (removed since) put back in `createdAt` order.
    func rewound(to time: Double, restoring restored: [SimulatedJob]) -> JobStore {
        var copy = self
        let kept = jobs.prefix { $0.createdAt <= time }
        var merged: [SimulatedJob] = []
        merged.reserveCapacity(kept.count + restored.count)
        var back = restored.filter { $0.createdAt <= time }[...]
        for job in kept {
            while let first = back.first, first.createdAt < job.createdAt {
                merged.append(first)
                back = back.dropFirst()
            }
            merged.append(job)
        }
        merged += back
        copy.jobs = merged
        copy.positions = Dictionary(uniqueKeysWithValues: merged.enumerated().map { ($1.id, $0) })
        return copy
    }

    mutating func scheduleFirstJob(settings: SimulatorSettings, now: Double) {
        let interval = settings.newJobIntervalSeconds
        nextJobAt = interval > 0 ? now + interval * random.between(0.07, 0.5) : .infinity
    }

    /// Starts every random job due by `now`.
    mutating func catchUp(to now: Double, settings: SimulatorSettings) {
        let interval = settings.newJobIntervalSeconds
        guard interval > 0 else {
            nextJobAt = .infinity
            return
        }
        if nextJobAt == .infinity { scheduleFirstJob(settings: settings, now: now) }
        var created = 0
        while nextJobAt <= now && created < Self.catchUpLimit {
            appendRandomJob(createdAt: nextJobAt, settings: settings, forcing: warmUp(settings))
            newJobs += 1
            nextJobAt += interval * random.between(0.67, 1.33)
            created += 1
        }
        if nextJobAt <= now { nextJobAt = now + interval }
    }

    /// The first new jobs of a listing fail, then get aborted (when those rates are not 0),
    /// so a demo shows every status moving within its first minute; later ones are random.
    private func warmUp(_ settings: SimulatorSettings) -> StoredOutcome? {
        let sequence: [StoredOutcome] =
            (settings.failureRate > 0 ? [.failed] : []) + (settings.abortRate > 0 ? [.aborted] : [])
        return newJobs < sequence.count ? sequence[newJobs] : nil
    }

    /// Starts a random job at `createdAt` (not before the newest job).
    mutating func appendRandomJob(
        createdAt: Double, settings: SimulatorSettings, forcing outcome: StoredOutcome? = nil
    ) {
        let pattern = UInt32(random.next() % UInt64(min(patterns.count, Self.randomPatternCount)))
        var job = JobPlanner.randomJob(
            createdAt: createdAt, pattern: pattern,
            entryCount: patterns[Int(pattern)].entries.count, settings: settings,
            forcing: outcome, random: &random)
        if job.outcome == .aborted, cancelledCompletedShare > 0, random.unit() < cancelledCompletedShare {
            job.outcome = .custom
            job.customStatus = internStatus("completed")
        }
        append(job)
    }

    private mutating func append(_ job: SimulatedJob) {
        var job = job
        // createdAt never goes backwards, so the array stays sorted.
        if let last = jobs.last, job.createdAt < last.createdAt {
            let shift = last.createdAt - job.createdAt
            job.createdAt += shift
            job.endAt += shift
            job.abortAt += shift
        }
        positions[job.id] = jobs.count
        jobs.append(job)
    }

    /// Adds a job starting `startedSecondsAgo` before `now` with a forced outcome, in
    /// `createdAt` order; returns its id.
    mutating func insert(
        outcome: JobOutcome, entries: [String], duration: Double, style: CompletedAtStyle?,
        settings: SimulatorSettings, now: Double, startedSecondsAgo: Double = 0
    ) -> JobID {
        let pattern =
            entries.isEmpty
            ? UInt32(random.next() % UInt64(Self.randomPatternCount))
            : intern(listing.shape.pattern(forEntries: entries))
        var customIndex: UInt32 = 0
        if case .status(let text) = outcome { customIndex = internStatus(text) }
        let job = JobPlanner.forcedJob(
            createdAt: now - startedSecondsAgo, pattern: pattern,
            entryCount: patterns[Int(pattern)].entries.count,
            outcome: outcome, customStatus: customIndex, duration: duration, style: style,
            settings: settings, random: &random)
        guard startedSecondsAgo > 0 else {
            append(job)
            return jobs[jobs.count - 1].id
        }
        insertInOrder(job)
        return job.id
    }

    /// Inserts a backdated job after every job created no later than it: O(n), for the
    /// control endpoint only.
    private mutating func insertInOrder(_ job: SimulatedJob) {
        var low = 0
        var high = jobs.count
        while low < high {
            let middle = (low + high) / 2
            if jobs[middle].createdAt <= job.createdAt { low = middle + 1 } else { high = middle }
        }
        jobs.insert(job, at: low)
        for index in low..<jobs.count { positions[jobs[index].id] = index }
    }

    /// Starts a random-outcome job at `now` for an API request's scope; returns its index.
    mutating func start(scope: [String: [String]], settings: SimulatorSettings, now: Double) -> Int {
        let pattern = intern(listing.shape.pattern(forRequest: scope))
        append(
            JobPlanner.randomJob(
                createdAt: now, pattern: pattern, entryCount: patterns[Int(pattern)].entries.count,
                settings: settings, random: &random))
        return jobs.count - 1
    }

    /// Requests a cancel; nil when there is no such job, false when it already finished.
    mutating func cancel(_ id: JobID, settings: SimulatorSettings, now: Double) -> Bool? {
        guard let index = positions[id] else { return nil }
        return jobs[index].cancel(at: now, delay: settings.abortDelaySeconds)
    }

    func index(of id: JobID) -> Int? { positions[id] }

    /// `overall_status` of a job at `now`.
    func status(of job: SimulatedJob, at now: Double) -> String {
        JobVocabulary.status(of: job, at: now, listing: listing, customStatuses: customStatuses)
    }

    /// What rendering needs besides the jobs: small, so it is cheap to copy out of the lock.
    var vocabulary: JobVocabulary {
        JobVocabulary(listing: listing, patterns: patterns, customStatuses: customStatuses)
    }

    private mutating func intern(_ pattern: ScopePattern) -> UInt32 {
        if let index = patterns.firstIndex(of: pattern) { return UInt32(index) }
        patterns.append(pattern)
        return UInt32(patterns.count - 1)
    }

    /// Indexes are `UInt32`, as the exporter's `KnownJobs` keeps them: statuses are free text
    /// and a `UInt16` trapped on the 65,536th.
    mutating func internStatus(_ text: String) -> UInt32 {
        if let index = customStatusIndex[text] { return index }
        let index = UInt32(customStatuses.count)
        customStatuses.append(text)
        customStatusIndex[text] = index
        return index
    }
}
