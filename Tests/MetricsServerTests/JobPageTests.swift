import HTTPServer
import JobMetrics
import StatusPages
import TestSupport
import Testing

@testable import MetricsServer

/// The job page at `/job?id=…`, where a `sync_job_id` exemplar links to.
@Suite("Job page")
struct JobPageTests {
    private struct FixedStatus: ExporterStatus {
        var page: StatusPage
        var isReady: Bool { true }
        func statusPage() -> StatusPage { page }
        func reload() -> Result<Void, ReloadFailure> { .success(()) }
    }

    /// The hostile status page, plus an exemplar job of the `completed` series.
    private static var page: StatusPage {
        var page = hostileStatusPage()
        let listing = page.listings[0]
        let metrics = listing.metrics
        let newest = JobExemplar(jobID: "newest-<ok>", duration: 1000, completedAt: 9_000)
        page.listings[0].metrics = ListingMetrics(
            key: metrics.key, hasListing: true, jobsByStatus: metrics.jobsByStatus,
            finished: [
                StatusHistogram(status: "completed", histogram: DurationHistogram(), exemplar: newest)
            ],
            regionsInProgress: [], oldestRunningJobStart: metrics.oldestRunningJobStart, lastFinished: [],
            latestJobStatus: metrics.latestJobStatus, invalidJobs: [], runningJobs: metrics.runningJobs,
            recentFailures: metrics.recentFailures)
        return page
    }

    private func get(id: String?) -> (status: Int, text: String) {
        let routes = ExporterRoutes(
            telemetryPath: "/metrics", cache: ScrapeCache(), status: FixedStatus(page: Self.page),
            now: { 10_000 })
        let query = id.map { [HTTPRequest.QueryItem(name: "id", value: $0)] } ?? []
        let request = HTTPRequest(method: "GET", path: "/job", query: query)
        let response = routes.handle(request)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test("a recent failure shows its status, finish and detailed_status")
    func failure() {
        let page = get(id: "fail-1")
        #expect(page.status == 200)
        #expect(page.text.contains(">failed</span>"))
        #expect(page.text.contains("<code>123456789012/eu-west-1</code>: AccessDenied"))
        #expect(!page.text.contains("<script"))
    }

    @Test("a running job shows its start and regions; the id is escaped")
    func running() throws {
        let id = try #require(Self.page.listings[0].metrics.runningJobs.first?.id)
        let page = get(id: id)
        #expect(page.status == 200)
        #expect(page.text.contains("in_progress"))
        #expect(page.text.contains("123456789012/us-east-1"))
        #expect(!page.text.contains("<script"))
    }

    @Test("the newest job of a series (the exemplar) shows its duration")
    func exemplar() {
        let views = JobView.find("newest-<ok>", in: Self.page)
        #expect(views.count == 1)
        #expect(
            views.first?.state
                == .finished(
                    status: "completed", completedAt: 9_000, duration: 1000, detailedStatus: [],
                    cancelled: false))
        let page = get(id: "newest-<ok>")
        #expect(page.status == 200)
        #expect(page.text.contains("newest-&lt;ok&gt;"))
    }

    @Test("a job the exporter does not hold is 404 naming it; no id is 400")
    func unknown() {
        let page = get(id: "gone")
        #expect(page.status == 404)
        #expect(page.text.contains("<code>gone</code>"))
        #expect(get(id: nil).status == 400)
        #expect(get(id: "").status == 400)
    }

    @Test("the status page links each job id to its page")
    func statusPageLinks() {
        let html = StatusPageHTML.render(Self.page, telemetryPath: "/metrics", now: 10_000)
        #expect(html.contains("<a href=\"/job?id=fail-1\"><code>fail-1</code></a>"))
    }
}
