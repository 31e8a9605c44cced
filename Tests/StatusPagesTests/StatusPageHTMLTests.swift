import JobMetrics
import TestSupport
import Testing

@testable import StatusPages

@Suite("Status page HTML")
struct StatusPageHTMLTests {
    @Test("every value is escaped: no markup from CM names, errors, detailed_status or log lines")
    func hostileStringsAreEscaped() {
        let html = StatusPageHTML.render(hostileStatusPage(), telemetryPath: "/metrics", now: 10_000)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>odd"))
        #expect(!html.contains("' onmouseover='"))
        #expect(!html.contains("&amp;\"") && !html.contains(" &amp;<"), "a raw & would read as an entity")
        #expect(
            html.contains(
                "cm&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y&#39; &amp;amp;"))
        #expect(html.contains("AccessDenied: &lt;script&gt;"))
        #expect(html.contains("HTTP 401 &lt;script&gt;"))
        #expect(html.contains("err=&lt;script&gt;"))
        #expect(html.contains("vault-&lt;script&gt;"))
        #expect(html.contains("1.0&lt;beta&gt;"))
        // The debug link percent-encodes the CM name, then the whole URL is HTML-escaped.
        #expect(
            html.contains(
                "/debug?cm=cm%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E%27%20onmouseover%3D%27y%27%20%26amp%3B&amp;cloud=aws"
            ))
    }

    @Test("the page names no external asset and runs no script")
    func selfContained() {
        let html = StatusPageHTML.render(hostileStatusPage(), telemetryPath: "/metrics", now: 10_000)
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"))
    }

    @Test("last poll, running jobs with regions and age, failed jobs with detailed_status, recent polls")
    func showsWhatOnCallNeeds() {
        let html = StatusPageHTML.render(hostileStatusPage(), telemetryPath: "/custom/metrics", now: 10_000)
        #expect(html.contains("<a href=\"/custom/metrics\">Metrics</a>"))
        #expect(html.contains("<span class=\"badge down\">down</span>"))
        #expect(html.contains("Last poll ended</th><td>1970-01-01 02:46:39Z (1s ago)"))
        #expect(html.contains("Last success</th><td>1970-01-01 02:46:10Z (30s ago)"))
        #expect(html.contains("Failed polls since start</th><td>auth 2"))
        #expect(html.contains("Running jobs (1)"))
        #expect(html.contains("<td class=\"num\">3m 20s</td><td>123456789012/us-east-1<br>vault-"))
        #expect(html.contains("Recent failed, aborted or cancelled jobs (2)"))
        #expect(html.contains("<li><code>123456789012/eu-west-1</code>: AccessDenied:"))
        #expect(html.contains("failed (auth)"))
        #expect(
            html.contains(
                "<code>cancel-1</code></a></td><td><span class=\"badge down\">completed</span>"
                    + " <span class=\"badge cancelled\">cancelled</span>"))
        #expect(html.contains("4 log lines"), "1 kept + 3 dropped")
        #expect(html.contains("… 3 more lines not kept"))
        #expect(html.contains("up 1h 01m"))
        #expect(html.contains("<details open>"), "the newest poll's lines are unfolded")
    }

    @Test("an exporter without listings says so")
    func noListings() {
        let html = StatusPageHTML.render(
            StatusPage(version: "1", startTime: 0, listings: []),
            telemetryPath: "/metrics", now: 5)
        #expect(html.contains("No listing configured."))
    }
}

@Suite("Status page formatting")
struct StatusPageFormatTests {
    @Test("ages in their two largest units")
    func ages() {
        #expect(StatusPageFormat.age(-3) == "0s")
        #expect(StatusPageFormat.age(42.9) == "42s")
        #expect(StatusPageFormat.age(192) == "3m 12s")
        #expect(StatusPageFormat.age(7500) == "2h 05m")
        #expect(StatusPageFormat.age(3 * 86_400 + 4 * 3600 + 59) == "3d 04h")
    }

    @Test("UTC times to the second, a space before the time")
    func times() {
        #expect(StatusPageFormat.utc(1_795_917_600) == "2026-11-29 02:00:00Z")
        #expect(StatusPageFormat.utc(1_795_917_600.999) == "2026-11-29 02:00:00Z")
    }
}
