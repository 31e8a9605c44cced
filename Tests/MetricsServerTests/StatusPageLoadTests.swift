import CCKMClient
import Foundation
import HTTPServer
import JobMetrics
import StatusPages
import Synchronization
import TestSupport
import Testing

@testable import MetricsServer

/// A CM with 50,000 running jobs must not make `/` a 6 MB page that ties up a libmicrohttpd
/// worker for most of a second: the page is bounded, and rendered once for many requests.
@Suite("Status page under load")
struct StatusPageLoadTests {
    static let runningJobs = 50_000

    static func bigPage() -> StatusPage {
        var page = hostileStatusPage()
        let listing = page.listings[0]
        let old = listing.metrics
        let jobs = (0..<runningJobs).map { index in
            RunningJob(
                id: "0b7c6f1e-3f2a-4d7b-9c1e-\(String(format: "%012d", index))", createdAt: 9_000,
                regionsInProgress: [RegionInProgress(cloudAccount: "123456789012", cloudRegion: "us-east-1")])
        }
        let failure = FailedJobSummary(
            id: "fail-big", status: "failed", completedAt: 9_500,
            detailedStatus: (0..<5_000).map { .init(scope: "acct/region-\($0)", text: "AccessDenied") })
        page.listings[0].metrics = ListingMetrics(
            key: old.key, hasListing: true, jobsByStatus: old.jobsByStatus, finished: old.finished,
            regionsInProgress: old.regionsInProgress, oldestRunningJobStart: 9_000, lastFinished: [],
            latestJobStatus: "running", invalidJobs: [], runningJobs: jobs,
            recentFailures: Array(repeating: failure, count: ListingMetrics.recentFailureLimit))
        return page
    }

    /// Counts how often the routes ask for the page's data.
    final class CountingStatus: ExporterStatus {
        let page: StatusPage
        private let calls = Atomic(0)
        init(_ page: StatusPage) { self.page = page }
        var isReady: Bool { true }
        var requests: Int { calls.load(ordering: .relaxed) }
        func statusPage() -> StatusPage {
            calls.add(1, ordering: .relaxed)
            return page
        }
        func reload() -> Result<Void, ReloadFailure> { .success(()) }
    }

    @Test("50,000 running jobs: / and /debug stay small and say how many are left out")
    func bounded() {
        let routes = ExporterRoutes(
            telemetryPath: "/metrics", cache: ScrapeCache(), status: CountingStatus(Self.bigPage()),
            now: { 10_000 })
        let html = routes.handle(HTTPRequest(method: "GET", path: "/"))
        let text = routes.handle(HTTPRequest(method: "GET", path: "/debug"))
        print(
            "status page with \(Self.runningJobs) running jobs: / \(html.body.count) bytes, /debug \(text.body.count) bytes"
        )
        #expect(html.body.count < 256 * 1024, "\(html.body.count) bytes")
        #expect(text.body.count < 256 * 1024, "\(text.body.count) bytes")
        let shownHTML = String(decoding: html.body, as: UTF8.self)
        let shownText = String(decoding: text.body, as: UTF8.self)
        #expect(shownHTML.contains("Running jobs (50000)"))
        #expect(shownHTML.contains("and 49900 more running jobs"))
        #expect(shownText.contains("running_jobs: 50000"))
        #expect(shownText.contains("and 49900 more running jobs"))
        #expect(shownText.contains("and 4980 more scopes"))
    }

    @Test("many requests within one second render the page once")
    func renderedOncePerSecond() {
        let status = CountingStatus(Self.bigPage())
        let routes = ExporterRoutes(
            telemetryPath: "/metrics", cache: ScrapeCache(), status: status, now: { 10_000.5 })
        let first = routes.handle(HTTPRequest(method: "GET", path: "/"))
        for _ in 0..<20 {
            #expect(routes.handle(HTTPRequest(method: "GET", path: "/")).body == first.body)
            _ = routes.handle(HTTPRequest(method: "GET", path: "/debug"))
        }
        #expect(status.requests == 2, "one for /, one for /debug")
    }

    @Test("four clients looping on / keep /metrics fast")
    func scrapesStayFast() throws {
        let routes = ExporterRoutes(
            telemetryPath: "/metrics", cache: ScrapeCache(), status: CountingStatus(Self.bigPage()))
        let server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0), handler: { routes.handle($0) })
        defer { server.shutdown() }
        let base = "http://127.0.0.1:\(server.port)"
        let stop = Atomic(false)
        let loopers = (0..<4).map { _ in
            Thread {
                let transport = HTTPTransport()
                while !stop.load(ordering: .relaxed) {
                    _ = try? transport.send(method: "GET", url: base + "/")
                }
            }
        }
        loopers.forEach { $0.start() }
        let transport = HTTPTransport()
        var latencies: [Duration] = []
        let end = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < end {
            let started = ContinuousClock.now
            let response = try transport.send(method: "GET", url: base + "/metrics")
            latencies.append(ContinuousClock.now - started)
            #expect(response.status == 200)
        }
        stop.store(true, ordering: .relaxed)
        latencies.sort()
        let p50 = latencies[latencies.count / 2]
        let p95 = latencies[latencies.count * 95 / 100]
        let worst = latencies.last ?? .zero
        print("status page load: \(latencies.count) scrapes, p50 \(p50), p95 \(p95), max \(worst)")
        #expect(p95 < .milliseconds(100), "p50 \(p50) p95 \(p95) max \(worst)")
        #expect(worst < .milliseconds(500), "p50 \(p50) p95 \(p95) max \(worst)")
    }
}
