/// Everything that changes while the simulator runs; lives in one `Mutex` because
/// libmicrohttpd calls the handler from several threads at once.
struct SimulatorState: Sendable {
    var settings: SimulatorSettings
    var stores: [String: JobStore]
    var tokens: TokenRegistry
    var faults = FaultQueue()
    var stats = SimulatorStats()
    /// Bursts, purges, deletions, outages, the cluster's rotation (``LifeSettings``).
    var life: LifeState
    /// The user's password when changed since start (``CCKMSimulator/changePassword(_:)``).
    var changedPassword: String?

    init(configuration: SimulatorConfiguration, now: Double) {
        settings = configuration.settings
        stores = Self.freshStores(configuration, settings: settings, now: now)
        tokens = TokenRegistry(
            presetRefreshTokens: configuration.refreshTokens, username: configuration.username)
        life = LifeState(seed: configuration.seed, cluster: configuration.behaviour.cluster)
        startLife(configuration.life, now: now)
    }

    /// Back to the configured start: fresh history, default settings, no faults, zero stats.
    /// Issued tokens stay valid, so a connected client is not logged out.
    mutating func reset(configuration: SimulatorConfiguration, now: Double) {
        settings = configuration.settings
        stores = Self.freshStores(configuration, settings: settings, now: now)
        faults.clear()
        stats = SimulatorStats()
        life = LifeState(seed: configuration.seed, cluster: configuration.behaviour.cluster)
        startLife(configuration.life, now: now)
    }

    /// Starts the random jobs and the life events (``LifeSettings``) due by `now`, in order.
    mutating func catchUp(to now: Double) {
        while let (event, time) = life.takeEvent(dueBy: now) {
            catchUpStores(to: time)
            happen(event, at: time)
        }
        catchUpStores(to: now)
    }

    /// Starts the random jobs due by `now` in every listing.
    mutating func catchUpStores(to now: Double) {
        for index in stores.indices { stores.values[index].catchUp(to: now, settings: settings) }
    }

    /// Stats with the current job counts filled in.
    var currentStats: SimulatorStats {
        var current = stats
        current.jobs = stores.mapValues(\.jobs.count)
        return current
    }

    private static func freshStores(
        _ configuration: SimulatorConfiguration, settings: SimulatorSettings, now: Double
    ) -> [String: JobStore] {
        var stores: [String: JobStore] = [:]
        for name in configuration.listings {
            guard let listing = SimulatorListings.descriptor(named: name) else { continue }
            stores[name] = JobStore(
                listing: listing, seed: configuration.seed,
                history: configuration.historyPerListing, stuck: configuration.behaviour.stuckJobs,
                settings: settings, now: now)
        }
        return stores
    }
}
