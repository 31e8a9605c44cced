import CCKMClient
import CCKMSimulator
import CMWire
import Foundation
import JobMetrics
import Synchronization

/// Catch-up after an outage: a CM that caps pages at 100 jobs and answers each in `--latency`
/// seconds holds a history (`--catch-up-history`); while the exporter cannot reach it, a
/// backlog of new jobs (`--backlogs`) is created; then CM answers again and keeps creating jobs
/// (two a second) while the exporter catches up. Measured: seconds from the first poll after
/// the outage until the metrics are exact (every status's `total` agrees with what is held,
/// every finished job counted once), against the network floor (the backlog's pages × latency),
/// and the complete walks it took (none: the backlog alone explains what changed).
///
/// The poller's schedule with its own code paths: a due poll every `interval` (2 s, as the
/// issue's `--poll.interval=2s`) through ``IncrementalLister`` with a ``ListingProgress``,
/// and between due polls one page of the catch-up at a time (``ListingCatchUp``), each page
/// applied as it comes.
enum CatchUpBenchmark {
    struct Row {
        var backlog: Int
        var pages = 0
        var floorSeconds = 0.0
        var seconds = 0.0
        var caughtUpSeconds = 0.0
        var completeWalks = 0
        var requests = 0
        var exact = false
    }

    static let interval: Duration = .seconds(2)

    static func run(history: Int, backlogs: [Int], latency: Double) {
        var rows: [Row] = []
        for backlog in backlogs {
            FileHandle.standardError.write(Data("catch-up: \(backlog) jobs…\n".utf8))
            rows.append(measure(history: history, backlog: backlog, latency: latency))
        }
        print(
            "Catch-up after an outage: \(history) jobs of history, pages capped at 100 by CM, \(latency) s a page,"
                + " a poll every 2 s, two new jobs a second meanwhile\n")
        print(
            "| backlog | pages read | network floor | backlog read after | exact after | target (1.3 × floor + 2 s) | complete walks | exact |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for row in rows {
            print(
                "| \(row.backlog) | \(row.pages) | \(String(format: "%.1f s", row.floorSeconds))"
                    + " | \(String(format: "%.1f s (%.2f×)", row.caughtUpSeconds, row.caughtUpSeconds / row.floorSeconds))"
                    + " | \(String(format: "%.1f s", row.seconds))"
                    + " | \(String(format: "%.1f s", 1.3 * row.floorSeconds + interval / .seconds(1)))"
                    + " | \(row.completeWalks) | \(row.exact ? "yes" : "NO") |")
        }
    }

    private static func measure(history: Int, backlog: Int, latency: Double) -> Row {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: history, newJobIntervalSeconds: 0, regionSeconds: 0.01,
            seed: 18, maxPageSize: 100, serverThreads: 2)
        configuration.behaviour = APIBehaviour(pageLatencySeconds: latency)
        let simulator = try! CCKMSimulator(configuration: configuration)
        defer { simulator.shutdown() }
        let client = CMClient(
            baseURL: simulator.baseURL, credentials: CMCredentials(username: "admin", password: "admin"),
            transport: HTTPTransport(), pageSize: 1000, onRequest: { _, _ in })
        let listing = Listing.named("aws")!
        Thread.sleep(forTimeInterval: 0.5)  // the history's newest jobs finish

        // The metrics before the outage: one complete walk.
        var walk = CompleteWalk(pageSize: 1000)
        var build = ListingBuild()
        while try! !walk.step(client, listing, deadline: .now + .seconds(20), onPage: { build.add($0) }) {}
        var aggregator = ListingAggregator(key: ListingKey(cm: "bench", cloud: "aws"))
        aggregator.apply(build)

        // The outage: the backlog is created while the exporter does not read.
        for index in 0..<backlog {
            try! simulator.insertJob(
                listing: "aws", outcome: index % 10 == 0 ? .failed : .completed, durationSeconds: 0)
        }
        var row = Row(backlog: backlog)
        row.floorSeconds = Double((backlog + 99) / 100) * latency

        // CM lives on: two new jobs a second until the catch-up has ended.
        let living = Mutex(true)
        let creator = Thread {
            while living.withLock({ $0 }) {
                _ = try? simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0)
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        creator.start()

        let lister = IncrementalLister(client: client)
        var progress = ListingProgress()
        var filter = StatusFilterSupport.unverified
        let start = ContinuousClock.now
        var nextPoll = start
        var closedAt: ContinuousClock.Instant?
        let before = simulator.stats().listingRequests("aws")
        while true {
            let now = ContinuousClock.now
            if now >= nextPoll {
                nextPoll += interval
                let polled = try! lister.poll(
                    listing, known: aggregator.knownJobs, order: .newestFirst, expectedTotal: nil,
                    statusFilter: &filter, progress: &progress, opensCatchUp: true, now: now,
                    budget: now + .seconds(1), deadline: now + .seconds(2))
                guard case .changes(let changes, _) = polled.outcome else {
                    row.completeWalks += 1
                    break
                }
                aggregator.apply(changes: changes)
                let reader = polled.openedCatchUp ? progress.catchUp.gaps.count - 1 : nil
                progress.catchUp.noteApplied(polled.fresh, readBy: reader, headRead: true)
                if let closedAt, closedAt < now, !progress.catchUp.isOpen {
                    row.seconds = (ContinuousClock.now - start) / .seconds(1)
                    break
                }
            } else if let index = progress.catchUp.next {
                let step = try! progress.catchUp.step(
                    index, client, listing, known: aggregator.knownJobs, deadline: now + .seconds(2))
                guard case .read(let changes, let fresh, let closed) = step else {
                    row.completeWalks += 1
                    break
                }
                aggregator.apply(changes: changes)
                progress.catchUp.noteApplied(fresh, readBy: index, headRead: false)
                if closed {
                    row.pages = progress.catchUp.pages
                    progress.catchUp.close(index)
                    if !progress.catchUp.isOpen {
                        living.withLock { $0 = false }
                        closedAt = ContinuousClock.now
                        row.caughtUpSeconds = (ContinuousClock.now - start) / .seconds(1)
                    }
                }
            } else {
                Thread.sleep(forTimeInterval: max(0, (nextPoll - now) / .seconds(1)))
            }
        }
        living.withLock { $0 = false }
        row.requests = simulator.stats().listingRequests("aws") - before
        var sent = 0
        let totals = try! client.totals(
            listing, statuses: KnownJobStatus.allCases.map(\.rawValue), deadline: .now + .seconds(60),
            sent: &sent)
        let finished = KnownJobStatus.allCases.filter { $0 != .inProgress }
            .map { aggregator.knownJobs.jobCount(status: $0.rawValue) }.reduce(0, +)
        row.exact =
            totals.mismatch(with: aggregator.knownJobs) == nil
            && aggregator.metrics.finished.map(\.histogram.count).reduce(0, +) == finished
        return row
    }
}
