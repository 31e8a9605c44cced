import CCKMClient
import CCKMSimulator
import CMWire
import Foundation
import JobMetrics
import Polling

/// A CM that answers every listing page slowly (`--latency`, 0.1 s by default) over a long
/// history (`--slow-jobs`, 100,000 by default), in each listing order, with and without old jobs
/// stuck `in_progress`: seconds until the first complete walk ends (its floor is pages ×
/// latency), requests per steady incremental poll, and CM requests per hour at a 30 s interval
/// with a consistency check every 10 minutes. Same code paths as the poller: ``CompleteWalk``
/// page by page, then ``IncrementalLister`` and ``CMClient/totals(_:statuses:deadline:sent:)``.
enum SlowCMBenchmark {
    struct Row {
        var order: String
        var stuck: Int
        var pages = 0
        var walkSeconds = 0.0
        var requestsPerPoll: [Int] = []
        var checkRequests = 0
        var exact = false

        /// At a 30 s poll interval and a 10 min consistency check.
        var requestsPerHour: Int {
            let perPoll = requestsPerPoll.max() ?? 0
            return perPoll * 120 + checkRequests * 6
        }
    }

    static func run(jobs: Int, latency: Double, pageSize: Int) {
        var rows: [Row] = []
        for order in [APIBehaviour.DefaultOrder.newestFirst, .oldestFirst] {
            for stuck in [0, 1000] {
                FileHandle.standardError.write(Data("slow CM: \(order.rawValue), \(stuck) stuck…\n".utf8))
                rows.append(
                    measure(jobs: jobs, latency: latency, pageSize: pageSize, order: order, stuck: stuck))
            }
        }
        print("Slow CM: \(jobs) jobs, \(latency) s per listing page, page size \(pageSize)\n")
        print(
            "| listing order | stuck jobs | walk pages | first exact metrics | requests per steady poll | CM requests per hour | exact after polls |"
        )
        print("|---|---|---|---|---|---|---|")
        for row in rows {
            print(
                "| \(row.order) | \(row.stuck) | \(row.pages) | \(String(format: "%.1f s", row.walkSeconds))"
                    + " | \(row.requestsPerPoll.map(String.init).joined(separator: ", "))"
                    + " | \(row.requestsPerHour) | \(row.exact ? "yes" : "NO") |")
        }
    }

    private static func measure(
        jobs: Int, latency: Double, pageSize: Int, order: APIBehaviour.DefaultOrder, stuck: Int
    ) -> Row {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: jobs, newJobIntervalSeconds: 0, seed: 5,
            maxPageSize: 1000, serverThreads: 2)
        configuration.behaviour = APIBehaviour(
            sortHonoured: order == .newestFirst, defaultOrder: order, pageLatencySeconds: latency,
            stuckJobs: stuck)
        let simulator = try! CCKMSimulator(configuration: configuration)
        defer { simulator.shutdown() }
        let client = CMClient(
            baseURL: simulator.baseURL, credentials: CMCredentials(username: "admin", password: "admin"),
            transport: HTTPTransport(), pageSize: pageSize, onRequest: { _, _ in })
        let listing = Listing.named("aws")!
        var row = Row(order: order.rawValue, stuck: stuck)

        let start = ContinuousClock.now
        var walk = CompleteWalk(pageSize: pageSize)
        var build = ListingBuild()
        while try! !walk.step(client, listing, deadline: .now + .seconds(20), onPage: { build.add($0) }) {}
        row.walkSeconds = (ContinuousClock.now - start) / .seconds(1)
        row.pages = walk.pages
        var aggregator = ListingAggregator(key: ListingKey(cm: "bench", cloud: "aws"))
        aggregator.apply(build)

        // Steady polls: two new jobs, a failure and a cancelled job that ends completed.
        let lister = IncrementalLister(client: client)
        var filter = StatusFilterSupport.unverified
        var total = walk.total
        for round in 0..<6 {
            let outcome: JobOutcome = [.completed, .failed, .aborted][round % 3]
            try! simulator.insertJob(listing: "aws", outcome: outcome, durationSeconds: 0)
            if round % 2 == 0 {
                try! simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0)
            }
            let before = simulator.stats().listingRequests("aws") + simulator.stats().requests("get:aws")
            let polled = try! lister.poll(
                listing, known: aggregator.knownJobs, order: walk.order, expectedTotal: total,
                statusFilter: &filter, deadline: .now + .seconds(60))
            guard case .changes(let changes, let newTotal) = polled.outcome else {
                preconditionFailure("a steady poll asked for a complete walk: \(polled.outcome)")
            }
            total = newTotal ?? total
            aggregator.apply(changes: changes)
            row.requestsPerPoll.append(
                simulator.stats().listingRequests("aws") + simulator.stats().requests("get:aws") - before)
        }
        var sent = 0
        let totals = try! client.totals(
            listing, statuses: KnownJobStatus.allCases.map(\.rawValue), deadline: .now + .seconds(60),
            sent: &sent)!  // the simulator gives every page its total
        row.checkRequests = sent

        // Exact: a complete walk now gives the same job metrics, and the totals agree.
        var check = ListingAggregator(key: aggregator.key)
        var checkBuild = ListingBuild()
        _ = try! client.listJobs(listing, deadline: .now + .seconds(600)) { checkBuild.add($0) }
        check.apply(checkBuild)
        row.exact =
            totals.mismatch(with: aggregator.knownJobs) == nil
            && check.metrics.jobsByStatus == aggregator.metrics.jobsByStatus
            && check.metrics.finished.map(\.histogram.count)
                == aggregator.metrics.finished.map(\.histogram.count)
            && check.metrics.cancelled == aggregator.metrics.cancelled
        return row
    }
}
