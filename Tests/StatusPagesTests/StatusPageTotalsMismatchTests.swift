import JobMetrics
import TestSupport
import Testing

@testable import StatusPages

/// A totals mismatch the consistency check remembered (no walk explained it) is said on both
/// status pages, escaped like every text from CM; none, no row.
@Suite("Status page: a remembered totals mismatch")
struct StatusPageTotalsMismatchTests {
    @Test("shown on / and /debug while remembered, absent otherwise")
    func shownWhileRemembered() {
        var page = hostileStatusPage()
        #expect(
            !StatusPageHTML.render(page, telemetryPath: "/metrics", now: 10_000).contains("Totals mismatch"))
        #expect(!StatusPageText.render(page.listings, now: 10_000).contains("totals_mismatch:"))
        page.listings[0].health.consistencyNote = "total +5 (CM 125, 120 held) <b>"
        let html = StatusPageHTML.render(page, telemetryPath: "/metrics", now: 10_000)
        #expect(html.contains("<th>Totals mismatch</th><td>total +5 (CM 125, 120 held) &lt;b&gt;</td>"))
        let text = StatusPageText.render(page.listings, now: 10_000)
        #expect(text.contains("totals_mismatch: "))
        #expect(text.contains("total +5 (CM 125, 120 held)"))
    }
}
