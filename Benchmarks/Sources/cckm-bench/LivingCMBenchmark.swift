import CCKMSimulator
import Foundation
import JobMetrics
import Polling

/// A CM that lives (issue 20): the real poller (``SteppedPoller``) against a simulator that
/// creates 1, 5 and 20 jobs a second, with 15 % failures, 10 % cancellations, purges keeping
/// the history steady, 1 % of the listing pages answered 503 and 20 ms per request, single
/// node and a 2-node cluster with one node 5 s behind. Simulated time: `minutes` of polling at
/// the default interval (30 s), consistency check (10 min) and page size (500) take seconds;
/// CM requests and complete walks are reported per hour, and whether the metrics equal the
/// simulator's ground truth at the end (after 11 quiet minutes: a purge shows only to the
/// consistency check).
enum LivingCMBenchmark {
    struct Row {
        var rate: Double
        var cluster: Bool
        var requests = 0
        var walks = 0
        var minutes: Double
        var exact = ""
        var kinds: LivingCMRequestKinds?

        func perHour(_ count: Int) -> Int { Int((Double(count) * 60 / minutes).rounded()) }
    }

    static func run(minutes: Double, history: Int) {
        var rows: [Row] = []
        for cluster in [false, true] {
            for rate in [1.0, 5.0, 20.0] {
                FileHandle.standardError.write(
                    Data("living CM: \(rate) jobs/s, \(cluster ? "2-node cluster" : "single node")…\n".utf8))
                rows.append(measure(rate: rate, cluster: cluster, minutes: minutes, history: history))
            }
        }
        print(
            "Living CM: \(history) jobs of history, \(Int(minutes)) simulated minutes per row, poll interval 30 s\n"
        )
        print(
            "| CM | new jobs/s | CM requests per hour | complete walks per hour | requests per poll | exact at the end |"
        )
        print("|---|---|---|---|---|---|")
        for row in rows {
            print(
                "| \(row.cluster ? "2 nodes, one 5 s behind" : "single node") | \(Int(row.rate))"
                    + " | \(row.perHour(row.requests)) | \(row.perHour(row.walks))"
                    + " | \(String(format: "%.1f", Double(row.requests) / (row.minutes * 2)))"
                    + " | \(row.exact) |")
        }
        printKinds(rows)
    }

    /// The requests per poll of each row by kind.
    private static func printKinds(_ rows: [Row]) {
        let kinds = LivingCMRequestKinds.kinds.filter { kind in
            rows.contains { ($0.kinds?.counts[kind] ?? 0) > 0 }
        }
        print("\nRequests per poll by kind:\n")
        print("| CM | new jobs/s | " + kinds.joined(separator: " | ") + " |")
        print("|---|---|" + kinds.map { _ in "---|" }.joined())
        for row in rows {
            let cells = kinds.map { row.kinds?.perPoll($0, polls: row.minutes * 2) ?? "" }
            print(
                "| \(row.cluster ? "2 nodes, one 5 s behind" : "single node") | \(Int(row.rate)) | "
                    + cells.joined(separator: " | ") + " |")
        }
    }

    private static func measure(rate: Double, cluster: Bool, minutes: Double, history: Int) -> Row {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: history, newJobIntervalSeconds: 1 / rate, regionSeconds: 3,
            failureRate: 0.15, abortRate: 0.1, seed: 11, serverThreads: 2)
        if cluster {
            configuration.behaviour.cluster = ClusterBehaviour(nodes: 2, laggingNodes: 1, lagSeconds: 5)
        }
        // Purges keep the history near its size: what was created in a minute goes every minute.
        configuration.life = LifeSettings(
            cancelledCompletedShare: 0.3, purgeIntervalSeconds: 60, purgeCount: Int(rate * 60),
            serverErrorRate: 0.01, requestSeconds: 0.02)
        let simulator = try! CCKMSimulator(configuration: configuration, clock: clock)
        defer { simulator.shutdown() }
        let poller = SteppedPoller(
            url: simulator.baseURL, username: "admin", password: "admin", cloud: "aws", pageSize: 500,
            pollInterval: .seconds(30), fullResyncInterval: .seconds(600), simulatedTime: { clock.now() })
        poller.poll()  // the first walk, before the measured hour
        let startStats = simulator.stats()
        let start = (requests: startStats.apiRequests, walks: poller.completeWalks, time: clock.now())
        var row = Row(rate: rate, cluster: cluster, minutes: minutes)
        while clock.now() - start.time < minutes * 60 {
            clock.advance(by: 30)
            poller.poll()
        }
        let endStats = simulator.stats()
        row.requests = endStats.apiRequests - start.requests
        row.kinds = LivingCMRequestKinds(from: startStats, to: endStats, listing: "aws", pageSize: 500)
        row.walks = poller.completeWalks - start.walks
        row.minutes = (clock.now() - start.time) / 60
        try! simulator.updateLife(LifeSettings())
        var settings = simulator.settings()
        settings.newJobIntervalSeconds = 0
        try! simulator.updateSettings(settings)
        // Quiet for a consistency-check interval and a poll: purges show only to the check.
        for _ in 0..<22 {
            clock.advance(by: 30)
            poller.poll()
        }
        let truth = try! simulator.truth(listing: "aws")
        let metrics = poller.metrics
        let gaugesEqual =
            metrics.jobsByStatus.allSatisfy { Int($0.count) == truth.jobsByStatus[$0.status] ?? 0 }
            && truth.jobsByStatus.allSatisfy { status, count in
                metrics.jobsByStatus.contains { $0.status == status && Int($0.count) == count }
            }
        let counted = metrics.finished.map { Int($0.histogram.count) }.reduce(0, +)
        let finished = truth.finished.values.map(\.count).reduce(0, +)
        row.exact =
            gaugesEqual && counted == finished && Int(metrics.cancelled) == truth.cancelled
            ? "yes"
            : "no: \(gaugesEqual ? "gauges equal" : "gauges differ"), finished \(counted) of \(finished), cancelled \(metrics.cancelled) of \(truth.cancelled)"
        return row
    }
}
