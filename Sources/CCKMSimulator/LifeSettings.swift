/// How a living CipherTrust Manager behaves besides starting jobs at
/// ``SimulatorSettings/newJobIntervalSeconds``: bursts of jobs on a schedule (a scheduler's
/// "synchronize all"), cancelled jobs that end `completed`, purges of the oldest finished jobs,
/// running jobs deleted, listing pages answered with a 5xx, and the simulated time each request
/// takes. Changeable while the simulator runs (``CCKMSimulator/updateLife(_:)``,
/// `POST /sim/life`); every choice is drawn from the simulator's seed, so a failure replays
/// exactly with the same seed, clock and requests.
///
/// All zero (the default) is a simulator without life: nothing below happens.
public struct LifeSettings: Sendable, Equatable {
    /// Seconds between bursts (0: none); the first comes one period after the life starts.
    public var burstIntervalSeconds: Double
    /// Jobs each burst creates at once, per listing.
    public var burstSize: Int
    /// Share of cancelled (aborted) jobs whose `overall_status` ends `completed` with
    /// `abort: true`, as CM's Google listing documents (0…1).
    public var cancelledCompletedShare: Double
    /// Seconds between purges (0: none).
    public var purgeIntervalSeconds: Double
    /// Oldest finished jobs each purge removes, per listing (running jobs stay).
    public var purgeCount: Int
    /// Seconds between deletions of running jobs (0: none).
    public var deletionIntervalSeconds: Double
    /// Running jobs each deletion removes, per listing (drawn at random).
    public var deletionCount: Int
    /// Share of listing pages answered with ``serverErrorStatus`` instead (0…1).
    public var serverErrorRate: Double
    /// The status of those pages (500…599).
    public var serverErrorStatus: Int
    /// Seconds between outages (0: none); the first comes one period after the life starts.
    public var outageIntervalSeconds: Double
    /// How long each of them lasts, and the status every sync-job request gets meanwhile.
    public var outageSeconds: Double
    public var outageStatus: Int
    /// Simulated seconds each API request takes: with a ``ManualClock`` the simulator advances
    /// it, so jobs are created, progress and finish *while* a client pages (with the system
    /// clock real time passes by itself: leave it 0).
    public var requestSeconds: Double

    public init(
        burstIntervalSeconds: Double = 0, burstSize: Int = 0, cancelledCompletedShare: Double = 0,
        purgeIntervalSeconds: Double = 0, purgeCount: Int = 0, deletionIntervalSeconds: Double = 0,
        deletionCount: Int = 1, serverErrorRate: Double = 0, serverErrorStatus: Int = 503,
        outageIntervalSeconds: Double = 0, outageSeconds: Double = 0, outageStatus: Int = 503,
        requestSeconds: Double = 0
    ) {
        self.burstIntervalSeconds = burstIntervalSeconds
        self.burstSize = burstSize
        self.cancelledCompletedShare = cancelledCompletedShare
        self.purgeIntervalSeconds = purgeIntervalSeconds
        self.purgeCount = purgeCount
        self.deletionIntervalSeconds = deletionIntervalSeconds
        self.deletionCount = deletionCount
        self.serverErrorRate = serverErrorRate
        self.serverErrorStatus = serverErrorStatus
        self.outageIntervalSeconds = outageIntervalSeconds
        self.outageSeconds = outageSeconds
        self.outageStatus = outageStatus
        self.requestSeconds = requestSeconds
    }

    /// Throws ``SimulatorError`` naming the first field out of range.
    public func validate() throws(SimulatorError) {
        for (name, value) in [
            ("burst_interval_seconds", burstIntervalSeconds),
            ("purge_interval_seconds", purgeIntervalSeconds),
            ("deletion_interval_seconds", deletionIntervalSeconds), ("request_seconds", requestSeconds),
            ("outage_interval_seconds", outageIntervalSeconds), ("outage_seconds", outageSeconds),
        ] where !(value >= 0 && value.isFinite) {
            throw SimulatorError("\(name): must be 0 or more")
        }
        for (name, value) in [
            ("burst_size", burstSize), ("purge_count", purgeCount), ("deletion_count", deletionCount),
        ] where value < 0 {
            throw SimulatorError("\(name): must not be negative")
        }
        for (name, value) in [
            ("cancelled_completed_share", cancelledCompletedShare), ("server_error_rate", serverErrorRate),
        ] where !(0...1).contains(value) {
            throw SimulatorError("\(name): must be within 0…1")
        }
        if !(500...599).contains(serverErrorStatus) {
            throw SimulatorError("server_error_status: must be a 5xx status")
        }
        try Outage(status: outageStatus, seconds: outageSeconds).validate(field: "outage_status")
    }
}

/// Every request for sync jobs answered with one status for a while (CM down, a proxy in the
/// way, the exporter's network cut), while the jobs live on behind it.
public struct Outage: Sendable, Equatable {
    /// The status every `/api/v1/cckm/…` request gets (logins still work).
    public var status: Int
    /// How long, in simulated seconds from when it starts.
    public var seconds: Double

    public init(status: Int = 503, seconds: Double) {
        self.status = status
        self.seconds = seconds
    }

    func validate(field: String = "status") throws(SimulatorError) {
        if !(400...599).contains(status) { throw SimulatorError("\(field): must be 400…599") }
        if !(seconds >= 0 && seconds.isFinite) { throw SimulatorError("seconds: must be 0 or more") }
    }
}
