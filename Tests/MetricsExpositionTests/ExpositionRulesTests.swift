import TestSupport
import Testing

@testable import CMWire
@testable import JobMetrics
@testable import MetricsExposition

/// Single rules of the exposition: numbers, escaping, which series exist, names and order.
@Suite struct ExpositionRulesTests {
    let key = ListingKey(cm: "prod", cloud: "aws")
    let build = BuildInfo(version: "1", revision: "r", swiftVersion: "6")

    func render(_ snapshot: MetricsSnapshot, _ format: ExpositionFormat = .prometheusText) -> String {
        String(decoding: ExpositionWriter.render(snapshot, format: format), as: UTF8.self)
    }

    func lines(_ snapshot: MetricsSnapshot, _ format: ExpositionFormat = .prometheusText) -> [String] {
        render(snapshot, format).split(separator: "\n").map(String.init)
    }

    func listing(_ jobs: [SyncJob]) -> ListingMetrics {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        return aggregator.metrics
    }

    @Test(arguments: [
        (42.0, "42", "42.0"), (0, "0", "0.0"), (-0.0, "0", "0.0"), (1, "1", "1.0"), (-3, "-3", "-3.0"),
        (1_700_000_000, "1700000000", "1700000000.0"), (1_700_000_000.5, "1700000000.5", "1700000000.5"),
        (0.1, "0.1", "0.1"), (0.00001, "1e-05", "1e-05"), (1e22, "1e+22", "1e+22"),
        (.infinity, "+Inf", "+Inf"), (-.infinity, "-Inf", "-Inf"), (.nan, "NaN", "NaN"),
    ])
    func floatsAreIntegersWithoutExponentOrShortestRoundTrip(value: Double, text: String, openMetrics: String)
    {
        var bytes: [UInt8] = []
        ExpositionNumbers.append(value, format: .prometheusText, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        bytes = []
        ExpositionNumbers.append(value, format: .openMetrics, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == openMetrics)
        if value.isFinite { #expect(Double(text) == value) }
    }

    @Test(arguments: [UInt64(0), 7, 10, 99, 1_000_000, UInt64.max])
    func countsAreWrittenInPlainDigits(value: UInt64) {
        var bytes: [UInt8] = []
        ExpositionNumbers.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test(arguments: [
        ("plain", "plain"), ("back\\slash", "back\\\\slash"), ("a \"quote\"", "a \\\"quote\\\""),
        ("new\nline", "new\\nline"), ("tab\tand ünïcode ✓", "tab\tand ünïcode ✓"), ("\\n", "\\\\n"),
    ])
    func labelValuesEscapeBackslashQuoteAndNewline(value: String, escaped: String) {
        #expect(LabelEscaping.escapedLabelValue(value) == escaped)
    }

    @Test func helpEscapesBackslashAndNewlineAndInOpenMetricsAlsoQuotes() {
        var text: [UInt8] = []
        LabelEscaping.appendHelp("a\\b\n\"c\"", format: .prometheusText, to: &text)
        #expect(String(decoding: text, as: UTF8.self) == "a\\\\b\\n\"c\"")
        var openMetrics: [UInt8] = []
        LabelEscaping.appendHelp("a\\b\n\"c\"", format: .openMetrics, to: &openMetrics)
        #expect(String(decoding: openMetrics, as: UTF8.self) == "a\\\\b\\n\\\"c\\\"")
    }

    @Test func anEscapedLabelValueIsWrittenInTheSample() {
        let metrics = listing([running("r", created: 1, details: [("vault\\\"x\"\n", "in_progress")])])
        let output = lines(MetricsSnapshot(listings: [metrics], build: build))
        #expect(
            output.contains(
                #"cckm_sync_region_in_progress{cloud="aws",cloud_account="",cloud_region="vault\\\"x\"\n",cm="prod"} 1"#
            ))
    }

    @Test func aListingNotYetPolledHasNoSeries() {
        let output = render(
            MetricsSnapshot(listings: [.empty(key)], health: [PollHealth(key: key)], build: build))
        #expect(!output.contains("cloud=\"aws\""))
        #expect(
            output.contains("cckm_exporter_build_info{revision=\"r\",swift_version=\"6\",version=\"1\"} 1\n"))
    }

    @Test func familiesWithoutSeriesAreLeftOutWithTheirHelpAndType() {
        let metrics = listing([finished("a", "completed", created: 1, completed: 2)])
        let output = render(MetricsSnapshot(listings: [metrics], build: build))
        #expect(!output.contains("cckm_sync_oldest_running_job_start_timestamp_seconds"))
        #expect(!output.contains("cckm_sync_region_in_progress"))
        #expect(!output.contains("cckm_api_requests_total"))
        #expect(output.contains("cckm_sync_regions_in_progress{cloud=\"aws\",cm=\"prod\"} 0\n"))
    }

    @Test func anAttemptedListingShowsUpAndEveryPollErrorReason() {
        var health = PollHealth(key: key)
        health.attempted = true
        health.errorsTotal = [.tls: 3]
        health.lastPollDurationSeconds = 1.5
        let output = lines(MetricsSnapshot(health: [health], build: build))
        #expect(output.contains("cckm_up{cloud=\"aws\",cm=\"prod\"} 0"))
        #expect(output.contains("cckm_poll_duration_seconds{cloud=\"aws\",cm=\"prod\"} 1.5"))
        #expect(!output.contains { $0.hasPrefix("cckm_last_poll_success_timestamp_seconds") })
        let errors = output.filter { $0.hasPrefix("cckm_poll_errors_total{") }
        #expect(errors.count == PollErrorReason.allCases.count)
        #expect(errors.contains("cckm_poll_errors_total{cloud=\"aws\",cm=\"prod\",reason=\"tls\"} 3"))
        #expect(errors.contains("cckm_poll_errors_total{cloud=\"aws\",cm=\"prod\",reason=\"auth\"} 0"))
    }

    @Test func latestJobStatusGivesAnUnknownStatusItsOwnSeries() {
        let output = lines(
            MetricsSnapshot(
                listings: [listing([finished("a", "error", created: 1, completed: 2)])], build: build))
        let latest = output.filter { $0.hasPrefix("cckm_sync_latest_job_status{") }
        #expect(
            latest == [
                "cckm_sync_latest_job_status{cloud=\"aws\",cm=\"prod\",status=\"aborted\"} 0",
                "cckm_sync_latest_job_status{cloud=\"aws\",cm=\"prod\",status=\"completed\"} 0",
                "cckm_sync_latest_job_status{cloud=\"aws\",cm=\"prod\",status=\"error\"} 1",
                "cckm_sync_latest_job_status{cloud=\"aws\",cm=\"prod\",status=\"failed\"} 0",
                "cckm_sync_latest_job_status{cloud=\"aws\",cm=\"prod\",status=\"in_progress\"} 0",
            ])
    }

    @Test func seriesAreSortedByLabelValuesAcrossListings() {
        let other = ListingKey(cm: "alpha", cloud: "azure")
        var second = ListingAggregator(key: other)
        second.apply(ListingBuild(jobs: [], invalid: []))
        let output = lines(MetricsSnapshot(listings: [second.metrics, listing([])], build: build))
        let regions = output.filter { $0.hasPrefix("cckm_sync_regions_in_progress{") }
        #expect(
            regions == [
                "cckm_sync_regions_in_progress{cloud=\"aws\",cm=\"prod\"} 0",
                "cckm_sync_regions_in_progress{cloud=\"azure\",cm=\"alpha\"} 0",
            ])
    }

    @Test func openMetricsNamesCounterFamiliesWithoutTotal() {
        var health = PollHealth(key: key)
        health.attempted = true
        let output = lines(MetricsSnapshot(health: [health], build: build), .openMetrics)
        #expect(output.contains("# TYPE cckm_poll_errors counter"))
        #expect(output.contains("cckm_poll_errors_total{cloud=\"aws\",cm=\"prod\",reason=\"auth\"} 0.0"))
        #expect(output.contains("cckm_up{cloud=\"aws\",cm=\"prod\"} 0.0"))
        #expect(!output.contains("# EOF"))
    }

    @Test func histogramLeValuesFollowEachFormat() {
        let metrics = listing([finished("a", "completed", created: 1, completed: 2)])
        let text = lines(MetricsSnapshot(listings: [metrics], build: build))
        let openMetrics = lines(MetricsSnapshot(listings: [metrics], build: build), .openMetrics)
        let le = { (lines: [String]) in
            lines.filter { $0.contains("status=\"completed\",le=") }.map { $0.split(separator: "\"")[7] }
        }
        #expect(
            le(text) == [
                "1", "5", "15", "30", "60", "120", "300", "600", "1800", "3600", "7200", "21600", "86400",
                "+Inf",
            ])
        #expect(
            le(openMetrics) == [
                "1.0", "5.0", "15.0", "30.0", "60.0", "120.0", "300.0", "600.0", "1800.0", "3600.0",
                "7200.0", "21600.0", "86400.0", "+Inf",
            ])
    }

    @Test func renderingAppendsToACallerOwnedBuffer() {
        var bytes = Array("# prefix\n".utf8)
        ExpositionWriter.render(MetricsSnapshot(build: build), format: .prometheusText, into: &bytes)
        #expect(
            String(decoding: bytes, as: UTF8.self).hasPrefix("# prefix\n# HELP cckm_exporter_build_info "))
    }

    @Test func contentTypesAreTheStandardOnes() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(
            ExpositionFormat.openMetrics.contentType
                == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(ExpositionWriter.openMetricsEOF == Array("# EOF\n".utf8))
    }

    @Test func theCatalogueFollowsPrometheusNamingRules() {
        let names = MetricCatalogue.all.map(\.name)
        #expect(Set(names).count == names.count)
        for family in MetricCatalogue.all {
            #expect(family.labelNames == family.labelNames.sorted(), "\(family.name)")
            #expect((family.type == .counter) == family.name.hasSuffix("_total"), "\(family.name)")
            #expect(
                !family.labelNames.contains { ["target", "region", "instance", "job", "le"].contains($0) })
            #expect(!family.help.isEmpty && !family.help.contains("\""))
        }
        for family in MetricCatalogue.cckmFamilies where family.labelNames.contains("cloud") {
            let isJobMetric = family.name.hasPrefix("cckm_sync") || family == MetricCatalogue.jobsInvalid
            #expect(family.help.contains("Polled in the background") == isJobMetric, "\(family.name)")
        }
        #expect(MetricCatalogue.markdownTable().contains("| `cckm_sync_jobs` | gauge | cloud, cm, status |"))
    }
}
