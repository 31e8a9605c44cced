import CMWire
import JobMetrics
import MetricsExposition
import TestSupport

/// The fixed, hand-made snapshot behind the golden files: every `cckm_*` family has series,
/// built through a real ``ListingAggregator`` from hand-made listings.
enum ExpositionFixtures {
    static let base: Double = 1_700_000_000

    static var snapshot: MetricsSnapshot {
        MetricsSnapshot(
            listings: [awsListing, azureListing, ListingMetrics.empty(notPolledKey)],
            health: [awsHealth, azureHealth, walkingHealth],
            apiRequests: [
                APIRequestKey(cm: "prod", endpoint: .auth, code: "200"): 3,
                APIRequestKey(cm: "prod", endpoint: .syncJobs, code: "200"): 42,
                APIRequestKey(cm: "prod", endpoint: .syncJobs, code: "503"): 2,
                APIRequestKey(cm: "prod", endpoint: .syncJobs, code: "error"): 1,
            ],
            build: BuildInfo(version: "1.0.0", revision: "abc1234", swiftVersion: "6.3.1"))
    }

    static let server = ServerMetrics(httpAuthFailures: 3)

    static let process = ProcessMetrics(
        cpuSecondsTotal: 12.34, residentMemoryBytes: 25_165_824, virtualMemoryBytes: 1_234_567_168,
        openFDs: 11, maxFDs: 1_048_576, startTimeSeconds: 1_699_999_000.12)

    static let awsKey = ListingKey(cm: "prod", cloud: "aws")
    static let azureKey = ListingKey(cm: "prod", cloud: "azure")
    static let notPolledKey = ListingKey(cm: "staging", cloud: "aws")

    /// Running jobs with regions (one region shared by two jobs), an aborted job with a stale
    /// in_progress region, failures, an unknown status, and one invalid job.
    static var awsListing: ListingMetrics {
        var aggregator = ListingAggregator(key: awsKey)
        aggregator.apply(
            ListingBuild(
                jobs: [
                    finished(
                        "0ea5d52e-387c-44fa-b079-21c8b768f77b", "aborted", created: base,
                        completed: base + 12.25,
                        details: [("123456789012/us-east-1", "in_progress")], abort: true),
                    finished(
                        "afef70ff-311e-46c1-8ead-e1999e8c6d46", "completed", created: base - 100,
                        completed: base - 96),
                    finished("b1", "completed", created: base - 5000, completed: base - 1400),
                    finished(
                        "b2", "failed", created: base - 4000, completed: base - 3999.5,
                        details: [("123456789012/eu-west-1", "AccessDenied: not authorized")]),
                    finished("b3", "error", created: base - 3000, completed: base + 90000),
                    running(
                        "r1", created: base + 100,
                        details: [
                            ("123456789012/us-east-1", "in_progress"),
                            ("123456789012/ap-south-1", "region synchronized successfully"),
                        ]),
                    running(
                        "r2", created: base + 200,
                        details: [
                            ("123456789012/us-east-1", "in_progress"),
                            ("210987654321/eu-central-1", "in_progress"),
                        ]),
                ], invalid: [InvalidJob(id: "broken", reason: .badCreatedAt)]))
        return aggregator.metrics
    }

    /// Azure scopes (vault names, one needing escaping), a job seen running then finished, and
    /// an unknown status (with characters to escape) as the latest job's.
    static var azureListing: ListingMetrics {
        var aggregator = ListingAggregator(key: azureKey)
        aggregator.apply(
            ListingBuild(
                jobs: [
                    running("z1", created: base, details: [("vault-2", "in_progress")])
                ], invalid: [InvalidJob(id: nil, reason: .missingID)]))
        aggregator.apply(
            ListingBuild(
                jobs: [
                    finished(
                        "z1", "completed", created: base, completed: base + 1800,
                        details: [("vault-2", "Success")]),
                    running(
                        "z2", created: base + 500,
                        details: [("vault \"prod\"\\eu", "in_progress"), ("vault-2", "in_progress")]),
                    finished(
                        "z3", "Completed\nWith \"Warnings\"", created: base + 600, completed: base + 660),
                ], invalid: []))
        return aggregator.metrics
    }

    /// A listing whose first complete walk is under way: no `cckm_up` yet, only the walk's start.
    static var walkingHealth: PollHealth {
        var health = PollHealth(key: notPolledKey)
        health.walk = WalkProgress(
            startedAt: base + 250, reason: "first listing", pages: 3, jobs: 1500, total: 100_000)
        return health
    }

    static var awsHealth: PollHealth {
        var health = PollHealth(key: awsKey)
        health.attempted = true
        health.up = true
        health.lastSuccessTimestamp = base + 300.5
        health.lastPollDurationSeconds = 0.125
        health.errorsTotal = [.timeout: 1]
        // Reading a backlog after an outage: the metrics are behind by about 4,850 jobs.
        health.catchUp = CatchUpProgress(startedAt: base + 290, pages: 12, jobs: 1150, backlog: 4850)
        return health
    }

    static var azureHealth: PollHealth {
        var health = PollHealth(key: azureKey)
        health.attempted = true
        health.up = false
        health.lastSuccessTimestamp = base + 240
        health.lastPollDurationSeconds = 20.003
        health.errorsTotal = [.http: 2, .auth: 1]
        return health
    }
}
