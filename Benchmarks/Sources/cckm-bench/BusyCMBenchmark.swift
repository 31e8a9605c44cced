import CCKMSimulator
import Foundation
import Polling

/// A CM that keeps creating jobs (1 and 5 a minute) while the poller polls every 30 s and checks
/// the totals every 10 minutes: complete walks per hour after the first (target 0) and CM
/// requests per hour. The poller is the exporter's own (``SteppedPoller``) on a manual clock,
/// and CM's clock moves on by itself while it answers (``LifeSettings/requestSeconds``), so jobs
/// are created and finish between the requests of a consistency check, as on a real CM.
enum BusyCMBenchmark {
    static func run(hours: Int, secondsPerRequest: Double) {
        print("Busy CM: \(hours) h of polls every 30 s, a consistency check every 10 min,")
        print("CM's clock moving \(secondsPerRequest) s per request on top\n")
        print(
            "| new jobs a minute | seed | checks | complete walks after the first | walks per hour | CM requests per hour |"
        )
        print("|---|---|---|---|---|---|")
        for jobsPerMinute in [1.0, 5.0] {
            for seed in UInt64(1)...3 {
                FileHandle.standardError.write(
                    Data("busy CM: \(jobsPerMinute) a minute, seed \(seed)…\n".utf8))
                let row = measure(
                    jobsPerMinute: jobsPerMinute, seed: seed, hours: hours,
                    secondsPerRequest: secondsPerRequest)
                print(
                    "| \(Int(jobsPerMinute)) | \(seed) | \(hours * 6) | \(row.walks)"
                        + " | \(String(format: "%.2f", Double(row.walks) / Double(hours)))"
                        + " | \(row.requests / hours) |")
                if row.walks > 0 { print("<!-- why: \(row.reasons.joined(separator: " / ")) -->") }
            }
        }
    }

    private static func measure(
        jobsPerMinute: Double, seed: UInt64, hours: Int, secondsPerRequest: Double
    ) -> (walks: Int, requests: Int, reasons: [String]) {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 1000, newJobIntervalSeconds: 60 / jobsPerMinute,
            regionSeconds: 20, parallelRegions: 2, failureRate: 0.2, abortRate: 0.1, seed: seed)
        configuration.life.requestSeconds = secondsPerRequest
        let simulator = try! CCKMSimulator(configuration: configuration, clock: clock)
        defer { simulator.shutdown() }
        // The poller's time moves 30 s a poll; CM's moves on by itself on top.
        let pollerTime = ManualClock()
        let poller = SteppedPoller(
            url: simulator.baseURL, username: configuration.username, password: configuration.password,
            cloud: "aws", pageSize: 500, pollInterval: .seconds(30), pollTimeout: .seconds(60),
            fullResyncInterval: .seconds(600), simulatedTime: { pollerTime.now() })
        if let error = poller.poll() { fatalError("first walk: \(error)") }
        let before = simulator.stats().apiRequests
        for _ in 0..<(hours * 120) {
            clock.advance(by: 30)
            pollerTime.advance(by: 30)
            if let error = poller.poll() { fatalError("poll: \(error)") }
        }
        return (
            poller.completeWalks - 1, simulator.stats().apiRequests - before,
            Array(poller.walkReasons.dropFirst())
        )
    }
}
