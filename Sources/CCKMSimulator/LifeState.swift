/// What the life of the simulator (``LifeSettings``) keeps between requests: its schedule, the
/// outage in force, the finished jobs it removed (the ground truth counts them), the jobs a
/// lagging cluster node still has, and the balancer's rotation.
struct LifeState: Sendable {
    private(set) var settings = LifeSettings()
    /// Life's own draws (which running job a deletion takes, which page gets a 5xx), apart from
    /// the stores' streams so that turning life on does not change the jobs themselves.
    var random: SeededRandom
    private(set) var nextBurst = Double.infinity
    private(set) var nextPurge = Double.infinity
    private(set) var nextDeletion = Double.infinity
    private(set) var nextOutage = Double.infinity
    /// The outage in force until `outageUntil`.
    private(set) var outage: Outage?
    private(set) var outageUntil = -Double.infinity
    /// Per listing, every finished job removed (purged, deleted) since the start.
    var departed: [String: [FinishedRecord]] = [:]
    /// Per listing, removed jobs a lagging node may still show, with when they went.
    var tombstones: [String: [(job: SimulatedJob, removedAt: Double)]] = [:]
    /// API requests the balancer has routed.
    var routed: UInt64 = 0
    /// How long removed jobs are kept for lagging nodes (the cluster's lag).
    let lag: Double

    init(seed: UInt64, cluster: ClusterBehaviour) {
        random = SeededRandom(seed: seed, stream: "life")
        lag = cluster.laggingNodes > 0 ? cluster.lagSeconds : 0
    }

    /// The life of `settings` from `now` on: each schedule's first event one period away.
    mutating func start(_ settings: LifeSettings, now: Double) {
        self.settings = settings
        func first(_ period: Double) -> Double { period > 0 ? now + period : .infinity }
        nextBurst = settings.burstSize > 0 ? first(settings.burstIntervalSeconds) : .infinity
        nextPurge = settings.purgeCount > 0 ? first(settings.purgeIntervalSeconds) : .infinity
        nextDeletion = settings.deletionCount > 0 ? first(settings.deletionIntervalSeconds) : .infinity
        nextOutage = settings.outageSeconds > 0 ? first(settings.outageIntervalSeconds) : .infinity
    }

    /// The scheduled events, in the order they fall.
    enum Event { case burst, purge, deletion, outage }

    /// The next event due by `now`, and when; its schedule moves on one period.
    mutating func takeEvent(dueBy now: Double) -> (Event, Double)? {
        let candidates: [(Event, Double)] = [
            (.burst, nextBurst), (.purge, nextPurge), (.deletion, nextDeletion), (.outage, nextOutage),
        ]
        guard let (event, time) = candidates.min(by: { $0.1 < $1.1 }), time <= now else { return nil }
        switch event {
        case .burst: nextBurst += settings.burstIntervalSeconds
        case .purge: nextPurge += settings.purgeIntervalSeconds
        case .deletion: nextDeletion += settings.deletionIntervalSeconds
        case .outage: nextOutage += settings.outageIntervalSeconds
        }
        return (event, time)
    }

    /// Every sync-job request fails with `outage.status` from `now` for `outage.seconds`.
    mutating func begin(_ outage: Outage, at now: Double) {
        self.outage = outage
        outageUntil = now + outage.seconds
    }

    /// The status a sync-job request at `now` gets instead of its answer, if any: the outage
    /// in force, or (for a listing page) a 5xx drawn at ``LifeSettings/serverErrorRate``.
    mutating func failure(at now: Double, listingPage: Bool) -> Int? {
        if let outage, now < outageUntil { return outage.status }
        if listingPage, settings.serverErrorRate > 0, random.unit() < settings.serverErrorRate {
            return settings.serverErrorStatus
        }
        return nil
    }

    /// Keeps the removed jobs a node `lag` seconds behind may still show.
    mutating func bury(_ jobs: [SimulatedJob], listing: String, at now: Double) {
        guard lag > 0 else { return }
        var kept = tombstones[listing, default: []].filter { $0.removedAt > now - lag }
        kept += jobs.map { ($0, now) }
        tombstones[listing] = kept
    }

    /// The jobs removed after `time` (a lagging node still has them), oldest first.
    func buried(_ listing: String, after time: Double) -> [SimulatedJob] {
        (tombstones[listing] ?? []).filter { $0.removedAt > time }.map(\.job)
            .sorted { $0.createdAt < $1.createdAt }
    }
}

/// A finished job as the ground truth needs it once the job is gone.
struct FinishedRecord: Sendable, Equatable {
    var status: String
    var createdAt: Double
    var completedAt: Double
    var cancelled: Bool
}
