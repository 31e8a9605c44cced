import JobMetrics
import Testing
import TextSafety

@testable import StatusPages

/// `/` and `/debug` (`curl /debug` prints straight to a terminal) show CM's job ids, statuses,
/// scopes and messages with every control character escaped: no ESC sequence, no forged line.
@Suite("Status pages escape control characters")
struct StatusPageControlCharacterTests {
    static let hostile = "x\u{1B}[2J\u{1B}]0;owned\u{07}\r\nforged: line\u{0}\u{7F}\u{9B}31m\u{85}\u{202E}"

    static func page() -> StatusPage {
        let key = ListingKey(cm: "prod", cloud: "aws")
        let metrics = ListingMetrics(
            key: key, hasListing: true, jobsByStatus: [StatusCount(status: "odd\(hostile)", count: 1)],
            finished: [], regionsInProgress: [], oldestRunningJobStart: 0, lastFinished: [],
            latestJobStatus: "failed", invalidJobs: [],
            runningJobs: [
                RunningJob(
                    id: "run\(hostile)", createdAt: 1,
                    regionsInProgress: [
                        RegionInProgress(cloudAccount: "acct\(hostile)", cloudRegion: "r\(hostile)")
                    ])
            ],
            recentFailures: [
                FailedJobSummary(
                    id: "fail\(hostile)", status: "failed\(hostile)", completedAt: 2,
                    detailedStatus: [.init(scope: "scope\(hostile)", text: "text\(hostile)")])
            ])
        var health = PollHealth(key: key)
        health.attempted = true
        let poll = PollRecord(
            start: 1, durationSeconds: 0.1, outcome: .failed(reason: "http", message: "msg\(hostile)"),
            lines: ["line\(hostile)"])
        let listing = ListingStatus(
            key: key, metrics: metrics, health: health, lastPollEnd: 3, lastError: "err\(hostile)",
            recentPolls: [poll])
        return StatusPage(version: "1", startTime: 0, listings: [listing])
    }

    /// Control scalars other than the page's own line breaks, and bidirectional overrides.
    static func controls(_ text: String) -> [String] {
        text.unicodeScalars.filter {
            ($0.properties.generalCategory == .control && $0 != "\n") || $0 == "\u{202E}"
        }.map { String(format: "U+%04X", $0.value) }
    }

    @Test("/debug: no control character, no forged line")
    func debugText() {
        let text = StatusPageText.render(Self.page().listings, now: 10)
        #expect(Self.controls(text).isEmpty, "\(Self.controls(text))")
        #expect(!text.contains("\nforged"))
        #expect(text.contains(#"id=runx\u001b[2J"#))
    }

    @Test("/: no control character in the HTML")
    func html() {
        let html = StatusPageHTML.render(Self.page(), telemetryPath: "/metrics", now: 10)
        #expect(Self.controls(html).isEmpty, "\(Self.controls(html))")
        #expect(!html.contains("\nforged"))
        #expect(html.contains(#"runx\u001b[2J"#))
    }

    @Test("/debug?cm=… with control characters in the query answers an escaped 404")
    func debugQueryEcho() {
        let rendered = StatusPageText.debugPage(Self.page(), cm: "a\u{1B}[2Jb", cloud: nil, now: 10)
        let body = rendered.text
        #expect(!rendered.found)
        #expect(Self.controls(body).isEmpty, "\(body.debugDescription)")
    }
}

/// Texts from CM on `/` and `/debug` pass the scrubber of ``SecretRegistry/shared``.
@Suite("Status pages scrub registered secrets")
struct StatusPageSecretTests {
    final class Owner {}

    @Test("a secret in a job id, a scope text or an error shows on neither page")
    func scrubbed() {
        let owner = Owner()
        let secret = "page-sink-Secret-9z"
        SecretRegistry.shared.register([secret], owner: owner, pinned: true)
        defer { SecretRegistry.shared.withdraw(owner: ObjectIdentifier(owner)) }
        var page = StatusPageControlCharacterTests.page()
        page.listings[0].lastError = "http: echo \(secret.dropFirst(3))"
        let old = page.listings[0].metrics
        page.listings[0].metrics = ListingMetrics(
            key: old.key, hasListing: true, jobsByStatus: old.jobsByStatus, finished: [],
            regionsInProgress: [],
            oldestRunningJobStart: 0, lastFinished: [], latestJobStatus: nil, invalidJobs: [],
            runningJobs: [RunningJob(id: "run-\(secret)", createdAt: 1, regionsInProgress: [])],
            recentFailures: [
                FailedJobSummary(
                    id: "f", status: "failed", completedAt: 2,
                    detailedStatus: [.init(scope: "s", text: "denied for \(secret.prefix(8))")])
            ])
        let shown = [
            StatusPageHTML.render(page, telemetryPath: "/metrics", now: 10),
            StatusPageText.render(page.listings, now: 10),
        ]
        let characters = Array(secret)
        let pieces = (0...(characters.count - 5)).map { String(characters[$0..<($0 + 5)]) }
        for text in shown {
            #expect(pieces.allSatisfy { !text.contains($0) })
            #expect(text.contains("run-&lt;redacted&gt;") || text.contains("run-<redacted>"))
        }
    }
}
