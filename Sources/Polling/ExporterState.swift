import Foundation
import JobMetrics
import Synchronization

/// Everything the pollers have learnt, behind one lock: per listing its aggregator, metrics
/// and poll health, plus the API request counters. After each poll it hands a new
/// ``MetricsSnapshot`` to its ``SnapshotPublisher`` (the app wires the cache `/metrics` serves
/// to it): the poller knows nothing of HTTP.
///
/// Results carry the poller's `owner` token: after a reload replaced a poller, a late answer
/// from the old one is dropped instead of being counted twice.
package final class ExporterState: Sendable {
    struct ListingRecord {
        var owner: Int
        var aggregator: ListingAggregator
        var health: PollHealth
        var lastPollEnd: Double?
        var lastError: String?
        /// When its counters began: the exporter's start, or when it was adopted again.
        var created: Double
    }

    private struct State {
        var records: [ListingKey: ListingRecord] = [:]
        var apiRequests: [APIRequestKey: UInt64] = [:]
        /// This replica's shard when sharded (``ExporterState/shard``).
        var shard: ShardMetrics?
        /// When each CM's request counters began (dropped with the CM's last listing).
        var cmCreated: [String: Double] = [:]
        /// Listings and CMs adopted before: adopted again, their counters start again.
        var adoptedBefore: Set<ListingKey> = []
        var cmsAdoptedBefore: Set<String> = []
        /// Each CM's client certificate: `notAfter` and a refused rotation (``setClientCertificateExpiry(cm:_:)``).
        var clientCertificates: [String: ClientCertificateState] = [:]
    }

    private let state = Mutex(State())
    /// Serializes ``publish()``: pollers of different CMs publish concurrently, and a snapshot
    /// taken earlier but rendered later would replace a newer one (counters going back).
    /// Taken before, never inside, the state lock.
    private let publishing = Mutex(())
    private let publisher: SnapshotPublisher
    let build: BuildInfo
    /// When the exporter started, seconds since the epoch: every counter and histogram counts
    /// from then (``MetricsSnapshot/seriesCreated``).
    let startTime: Double
    /// The wall clock, seconds since the epoch: when a listing dropped is adopted again.
    private let wallClock: @Sendable () -> Double
    /// The recent polls and their log lines, for the status page.
    package let journal = PollJournal()

    /// `publisher` takes every snapshot (``publish()``): the exporter's scrape cache; by default
    /// nobody (the bench's pollers, tests that read the state itself).
    package init(
        build: BuildInfo, startTime: Double = Date().timeIntervalSince1970,
        wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        publisher: @escaping SnapshotPublisher = { _ in }
    ) {
        self.publisher = publisher
        self.build = build
        self.startTime = startTime
        self.wallClock = wallClock
    }

    /// Makes `owner` the poller of `keys`, keeping what earlier pollers of the same listings
    /// counted (counters never go back on reload).
    func adopt(_ keys: [ListingKey], owner: Int) {
        state.withLock { state in
            for key in keys {
                if state.cmCreated[key.cm] == nil {
                    // A CM dropped and adopted again counts its requests from 0 again.
                    state.cmCreated[key.cm] =
                        state.cmsAdoptedBefore.contains(key.cm) ? wallClock() : startTime
                    state.cmsAdoptedBefore.insert(key.cm)
                }
                if state.records[key] != nil {
                    state.records[key]!.owner = owner
                } else {
                    // Dropped and adopted again (a reshard, a reload): its counters start at 0 now.
                    let created = state.adoptedBefore.contains(key) ? wallClock() : startTime
                    state.adoptedBefore.insert(key)
                    state.records[key] = ListingRecord(
                        owner: owner, aggregator: ListingAggregator(key: key),
                        health: PollHealth(key: key), created: created)
                }
            }
        }
    }

    /// Forgets every listing not in `keys` (targets or clouds removed from the configuration).
    func retain(only keys: Set<ListingKey>) {
        let names = Set(keys.map(\.cm))
        state.withLock { state in
            state.records = state.records.filter { keys.contains($0.key) }
            state.apiRequests = state.apiRequests.filter { names.contains($0.key.cm) }
            state.cmCreated = state.cmCreated.filter { names.contains($0.key) }
            state.clientCertificates = state.clientCertificates.filter { names.contains($0.key) }
        }
        journal.retain(only: keys)
        publish()
    }

    /// Applies a complete listing, built page by page outside the lock (only the commit, the
    /// counted-once check and the table swap, happens under it). Returns false when `owner`
    /// no longer polls `key`.
    /// Returns the limits that bit (counted in `cckm_exporter_limit_reached_total`), or nil
    /// when `owner` no longer polls `key`.
    @discardableResult
    func recordSuccess(
        _ key: ListingKey, owner: Int, build: ListingBuild,
        duration: Double, end: Double
    ) -> Set<ListingLimit>? {
        var reached: Set<ListingLimit> = []
        let applied = update(key, owner: owner) { record in
            reached = record.aggregator.apply(build)
            record.count(reached)
            record.markSucceeded(duration: duration, end: end)
        }
        return applied ? reached : nil
    }

    /// Applies what an incremental poll found changed. Returns false when `owner` no longer
    /// polls `key`.
    /// Returns the limits that bit, or nil when `owner` no longer polls `key`.
    /// A catch-up page (`asPoll` false) is applied without counting as a poll (no health change).
    @discardableResult
    func recordChanges(
        _ key: ListingKey, owner: Int, changes: ListingChanges,
        duration: Double, end: Double, asPoll: Bool = true
    ) -> Set<ListingLimit>? {
        var reached: Set<ListingLimit> = []
        let applied = update(key, owner: owner) { record in
            reached = record.aggregator.apply(changes: changes)
            // A catch-up's pages are not polls: their limits are counted by the poller, once.
            if asPoll {
                record.count(reached)
                record.markSucceeded(duration: duration, end: end)
            }
        }
        return applied ? reached : nil
    }

    /// Counts a failed read of one job (`cckm_poll_errors_total`) without failing the poll:
    /// the rest of the listing was read.
    @discardableResult
    func countJobReadError(_ key: ListingKey, owner: Int, reason: PollErrorReason) -> Bool {
        update(key, owner: owner) { $0.health.errorsTotal[reason, default: 0] += 1 }
    }

    /// Sets what the status page and `cckm_listing_catchup_backlog_jobs` show of the listing's
    /// catch-up (nil: none under way).
    @discardableResult
    func setCatchUp(_ key: ListingKey, owner: Int, _ catchUp: CatchUpProgress?) -> Bool {
        update(key, owner: owner) { $0.health.catchUp = catchUp }
    }

    /// Counts limits that bit outside a poll's apply (an answer over the size limit, the
    /// pages of a catch-up).
    func countLimits(_ limits: Set<ListingLimit>, key: ListingKey, owner: Int) {
        _ = update(key, owner: owner) { $0.count(limits) }
    }

    /// The listing as last applied, for an incremental poll (a copy-on-write value: drop it
    /// before the result is applied, or applying copies the whole table).
    func knownJobs(_ key: ListingKey) -> KnownJobs? {
        state.withLock { state in state.records[key]?.aggregator.knownJobs }
    }

    /// Records a failed poll: `cckm_up` 0, the reason counted, job metrics kept as they were.
    @discardableResult
    func recordFailure(
        _ key: ListingKey, owner: Int, reason: PollErrorReason, message: String,
        duration: Double, end: Double
    ) -> Bool {
        update(key, owner: owner) { record in
            record.markFailed(reason: reason, message: message, duration: duration, end: end)
        }
    }

    /// Runs `change` on `key`'s record in place under the lock, when `owner` still polls it
    /// (a replaced poller's late result is dropped). Returns whether it ran.
    func update(_ key: ListingKey, owner: Int, _ change: (inout ListingRecord) -> Void) -> Bool {
        state.withLock { state in
            guard state.records[key]?.owner == owner else { return false }
            change(&state.records[key]!)
            return true
        }
    }

    /// Counts one request sent to a CM (`code`: HTTP status, or `error` without an answer), when
    /// `owner` still polls a listing of that CM: a removed or replaced poller's late requests
    /// do not bring back series that a reload removed.
    func countRequest(cm: String, owner: Int, endpoint: APIEndpoint, code: String) {
        state.withLock { state in
            guard state.records.contains(where: { $0.key.cm == cm && $0.value.owner == owner }) else {
                return
            }
            state.apiRequests[APIRequestKey(cm: cm, endpoint: endpoint, code: code), default: 0] += 1
        }
    }

    /// Sets what the status page and `cckm_listing_walk_started_timestamp_seconds` show of the
    /// complete walk of `key` under way (nil: none). Returns false when `owner` no longer polls it.
    @discardableResult
    func setWalk(_ key: ListingKey, owner: Int, _ walk: WalkProgress?) -> Bool {
        update(key, owner: owner) { $0.health.walk = walk }
    }

    /// Sets the note on the listing's order (nil: the order asked for).
    @discardableResult
    func setOrderNote(_ key: ListingKey, owner: Int, _ note: String?) -> Bool {
        update(key, owner: owner) { $0.health.orderNote = note }
    }

    /// What the shard metrics and the status page say of this replica's shard (nil: unsharded,
    /// none written); published with the next snapshot.
    package var shard: ShardMetrics? {
        get { state.withLock { $0.shard } }
        set { state.withLock { $0.shard = newValue } }
    }

    /// Sets (nil: removes) when `cm`'s client certificate expires; published with the next poll.
    func setClientCertificateExpiry(cm: String, _ notAfter: Double?) {
        state.withLock { $0.clientCertificates[cm] = notAfter.map { ClientCertificateState(notAfter: $0) } }
    }

    /// Marks `cm`'s client certificate files as holding a refused pair (the last good one stays
    /// presented) until ``setClientCertificateExpiry(cm:_:)`` takes a good one.
    func setClientCertificateRotationRefused(cm: String) {
        state.withLock { $0.clientCertificates[cm]?.rotationRefused = true }
    }

    /// Hands the current state to the publisher (for `/metrics`), one snapshot at a time.
    package func publish() {
        publishing.withLock { _ in publisher(snapshot()) }
    }

    /// What `/metrics` shows of the current state.
    func snapshot() -> MetricsSnapshot {
        state.withLock { state in
            let records = state.records.values.sorted { $0.health.key < $1.health.key }
            var snapshot = MetricsSnapshot(
                listings: records.map(\.aggregator.metrics), health: records.map(\.health),
                apiRequests: state.apiRequests, build: build, shard: state.shard,
                seriesCreated: startTime)
            snapshot.listingCreated = state.records.compactMapValues {
                $0.created == startTime ? nil : $0.created
            }
            snapshot.cmCreated = state.cmCreated.filter { $0.value != startTime }
            snapshot.clientCertificateExpiry = state.clientCertificates.mapValues(\.notAfter)
            snapshot.clientCertificateRotationRefused = state.clientCertificates.mapValues(\.rotationRefused)
            return snapshot
        }
    }

    /// True once every configured listing has finished a first poll attempt.
    package var isReady: Bool {
        // No listing yet: the server listens before the pollers adopt theirs (every target
        // has at least one listing), so an empty state is not ready.
        // A shard that owns no CM is ready as soon as it knows so.
        state.withLock { state in
            state.records.isEmpty
                ? state.shard?.ownedTargets == 0 : state.records.values.allSatisfy(\.health.attempted)
        }
    }

    /// Every listing, sorted by CM and cloud, for the status page (its recent polls come from
    /// ``journal``). Copies immutable metrics only, never an aggregator's storage.
    package func listingStatuses() -> [ListingStatus] {
        state.withLock { state in
            state.records.values.sorted { $0.health.key < $1.health.key }.map { record in
                ListingStatus(
                    key: record.health.key, metrics: record.aggregator.metrics, health: record.health,
                    lastPollEnd: record.lastPollEnd, lastError: record.lastError, recentPolls: [])
            }
        }
    }
}

extension ExporterState.ListingRecord {
    /// One poll in which each of `limits` bit.
    mutating func count(_ limits: Set<ListingLimit>) {
        for limit in limits { health.limitsReached[limit, default: 0] += 1 }
    }

    /// A successful poll: `cckm_up` 1, its end and duration recorded.
    mutating func markSucceeded(duration: Double, end: Double) {
        health.attempted = true
        health.up = true
        health.lastSuccessTimestamp = end
        health.lastPollDurationSeconds = duration
        lastPollEnd = end
        lastError = nil
    }

    /// A failed poll: `cckm_up` 0, the reason counted; job metrics stay as they were.
    mutating func markFailed(reason: PollErrorReason, message: String, duration: Double, end: Double) {
        health.attempted = true
        health.up = false
        health.lastPollDurationSeconds = duration
        health.errorsTotal[reason, default: 0] += 1
        lastPollEnd = end
        lastError = "\(reason.rawValue): \(message)"
    }
}

/// What the metrics say of one CM's client certificate: the `notAfter` of the pair presented,
/// and whether the files now hold a pair that was refused.
struct ClientCertificateState {
    var notAfter: Double
    var rotationRefused = false
}
