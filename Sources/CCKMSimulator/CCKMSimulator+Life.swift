/// The living CM's controls (``LifeSettings``, ``Outage``, deletions) and its ground truth
/// (``SimulatorTruth``), for in-process tests; `/sim/life`, `/sim/outage`, `/sim/deletions`
/// and `/sim/truth` serve the same to scripts.
extension CCKMSimulator {
    /// The life in force.
    public func life() -> LifeSettings { core.state.withLock { $0.life.settings } }

    /// Life with `settings` from now on (all zero: quiet); each schedule starts one period away.
    public func updateLife(_ settings: LifeSettings) throws(SimulatorError) {
        try core.updateLife(settings)
    }

    /// Every sync-job request fails with `outage.status` from now for `outage.seconds`, while
    /// jobs go on being created and finishing behind it.
    public func startOutage(_ outage: Outage) throws(SimulatorError) { try core.startOutage(outage) }

    /// Deletes up to `count` running jobs of `listing`, drawn with the simulator's seed; returns
    /// their ids. `GET …/{id}` of a deleted job answers ``APIBehaviour/unknownJobStatus``.
    @discardableResult
    public func deleteRunningJobs(listing: String, count: Int = 1) throws(SimulatorError) -> [String] {
        try core.deleteRunningJobs(listing: listing, count: count)
    }

    /// The metrics a fresh complete walk of `listing` gives now, with every finished job it ever
    /// held (see ``SimulatorTruth``).
    public func truth(listing: String) throws(SimulatorError) -> SimulatorTruth {
        try core.truth(listing: listing)
    }
}

extension SimulatorCore {
    func updateLife(_ settings: LifeSettings) throws(SimulatorError) {
        try settings.validate()
        withCurrentState { state, now in state.startLife(settings, now: now) }
    }

    func startOutage(_ outage: Outage) throws(SimulatorError) {
        try outage.validate()
        withCurrentState { state, now in state.life.begin(outage, at: now) }
    }

    func deleteRunningJobs(listing: String, count: Int) throws(SimulatorError) -> [String] {
        try requireListing(listing)
        guard count >= 0 else { throw SimulatorError("count: must not be negative") }
        return withCurrentState { state, now in
            state.deleteRunningJobs(listing, count: count, now: now).map(\.string)
        }
    }

    func truth(listing: String) throws(SimulatorError) -> SimulatorTruth {
        try requireListing(listing)
        return withCurrentState { state, now in
            SimulatorTruth(
                store: state.stores[listing]!, departed: state.life.departed[listing] ?? [], now: now)
        }
    }
}
