/// The life of the simulator (``LifeSettings``): scheduled bursts, purges, deletions and
/// outages, and the removal of jobs with what the ground truth and lagging nodes need of them.
extension SimulatorState {
    /// Life with `settings` from `now`: the stores learn the cancelled-completed share, the
    /// schedules start one period from now.
    mutating func startLife(_ settings: LifeSettings, now: Double) {
        life.start(settings, now: now)
        for index in stores.indices {
            stores.values[index].cancelledCompletedShare = settings.cancelledCompletedShare
        }
    }

    /// One scheduled event at `time` (the stores have caught up to it).
    mutating func happen(_ event: LifeState.Event, at time: Double) {
        let settings = life.settings
        switch event {
        case .burst:
            for name in stores.keys.sorted() {
                for offset in 0..<settings.burstSize {
                    // A millisecond apart: one scheduler run, yet an order a listing can keep.
                    stores[name]!.appendRandomJob(
                        createdAt: time + Double(offset) * 0.001, settings: self.settings)
                }
            }
        case .purge:
            for name in stores.keys.sorted() {
                let store = stores[name]!
                let oldest = store.jobs.indices.lazy.filter { store.jobs[$0].isFinished(at: time) }
                removeJobs(name, at: Array(oldest.prefix(settings.purgeCount)), now: time)
            }
        case .deletion:
            for name in stores.keys.sorted() {
                deleteRunningJobs(name, count: settings.deletionCount, now: time)
            }
        case .outage:
            life.begin(Outage(status: settings.outageStatus, seconds: settings.outageSeconds), at: time)
        }
    }

    /// Deletes up to `count` running jobs of `listing`, drawn at random; returns their ids.
    @discardableResult
    mutating func deleteRunningJobs(_ listing: String, count: Int, now: Double) -> [JobID] {
        let store = stores[listing]!
        var running = store.jobs.indices.filter { !store.jobs[$0].isFinished(at: now) }
        var chosen: [Int] = []
        while chosen.count < count, !running.isEmpty {
            chosen.append(running.remove(at: Int(life.random.next() % UInt64(running.count))))
        }
        return removeJobs(listing, at: chosen, now: now).map(\.id)
    }

    /// Removes the jobs at `indices` of `listing`: the finished ones stay in the ground truth's
    /// counters, and lagging nodes keep all of them for their lag.
    @discardableResult
    mutating func removeJobs(_ listing: String, at indices: [Int], now: Double) -> [SimulatedJob] {
        guard !indices.isEmpty else { return [] }
        let removed = stores[listing]!.removeJobs(at: indices)
        let store = stores[listing]!
        for job in removed where job.isFinished(at: now) {
            let timeline = job.timeline(at: now)
            life.departed[listing, default: []].append(
                FinishedRecord(
                    status: store.status(of: job, at: now), createdAt: job.createdAt,
                    completedAt: job.endAt, cancelled: timeline.abortRequested))
        }
        life.bury(removed, listing: listing, at: now)
        return removed
    }

    /// The store and the time a request routed to the next node of `cluster` is answered from:
    /// the live store now, or a lagging node's copy as it was `lag` seconds ago.
    mutating func route(_ listing: String, cluster: ClusterBehaviour, now: Double) -> (JobStore, Double) {
        let node = Int(life.routed % UInt64(max(1, cluster.nodes)))
        life.routed &+= 1
        let lag = cluster.lag(ofNode: node)
        guard lag > 0 else { return (stores[listing]!, now) }
        let then = now - lag
        return (stores[listing]!.rewound(to: then, restoring: life.buried(listing, after: then)), then)
    }
}
