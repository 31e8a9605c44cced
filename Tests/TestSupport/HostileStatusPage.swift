import JobMetrics
import StatusPages

/// A status page with one listing whose every text is an attack: `<script>`, quotes,
/// ampersands, attribute breakers, in the CM name, cloud, error, job ids, detailed_status and
/// log lines.
public func hostileStatusPage(now: Double = 10_000) -> StatusPage {
    let evil = #"<script>alert("x")</script>' onmouseover='y' &amp;"#
    let key = ListingKey(cm: "cm\(evil)", cloud: "aws")
    let metrics = ListingMetrics(
        key: key, hasListing: true,
        jobsByStatus: [
            StatusCount(status: "completed", count: 3), StatusCount(status: "<b>odd</b>", count: 1),
        ],
        finished: [], regionsInProgress: [], oldestRunningJobStart: now - 200, lastFinished: [],
        latestJobStatus: "failed", invalidJobs: [],
        runningJobs: [
            RunningJob(
                id: "run-\(evil)", createdAt: now - 200,
                regionsInProgress: [
                    RegionInProgress(cloudAccount: "123456789012", cloudRegion: "us-east-1"),
                    RegionInProgress(cloudAccount: "", cloudRegion: "vault-\(evil)"),
                ])
        ],
        recentFailures: [
            FailedJobSummary(
                id: "fail-1", status: "failed", completedAt: now - 60,
                detailedStatus: [
                    .init(scope: "123456789012/eu-west-1", text: "AccessDenied: \(evil)")
                ]),
            FailedJobSummary(
                id: "cancel-1", status: "completed", completedAt: now - 90, detailedStatus: [],
                cancelled: true),
        ])
    var health = PollHealth(key: key)
    health.attempted = true
    health.up = false
    health.lastSuccessTimestamp = now - 30
    health.lastPollDurationSeconds = 0.25
    health.errorsTotal = [.auth: 2]
    let polls = [
        PollRecord(
            start: now - 1, durationSeconds: 0.25,
            outcome: .failed(reason: "auth", message: "POST /api/v1/auth/tokens: HTTP 401 \(evil)"),
            lines: ["ts=x level=warn msg=\"poll failing\" err=\(evil)"], droppedLines: 3),
        PollRecord(
            start: now - 31, durationSeconds: 0.1, outcome: .succeeded,
            lines: ["ts=y level=debug msg=\"poll finished\""]),
    ]
    let listing = ListingStatus(
        key: key, metrics: metrics, health: health, lastPollEnd: now - 1,
        lastError: "auth: HTTP 401 \(evil)", recentPolls: polls)
    return StatusPage(version: "1.0<beta>", startTime: now - 3700, listings: [listing])
}
