import JobMetrics
import MetricsExposition
import TestSupport
import Testing

/// OpenMetrics completeness: every counter and histogram series carries its start (`_created`,
/// protobuf `created_timestamp`), every `*_seconds` family its unit; the text format 0.0.4
/// carries neither.
@Suite struct CreatedAndUnitTests {
    static let countingFamilies = MetricCatalogue.all.filter { $0.type != .gauge }

    static func samples(_ format: ExpositionFormat) -> [ExpositionSample] {
        ExpositionTests.text(format).split(separator: "\n").compactMap { ExpositionSample(String($0)) }
    }

    @Test func everyCounterAndHistogramSeriesHasItsCreatedSampleInOpenMetrics() {
        let samples = Self.samples(.openMetrics)
        for family in Self.countingFamilies {
            let owner = family.type == .counter ? family.name : family.name + "_count"
            let series = samples.filter { $0.name == owner }
            let created = samples.filter { $0.name == family.openMetricsName + "_created" }
            #expect(!series.isEmpty, "\(family.name) has no series in the fixture")
            #expect(created.count == series.count, "\(family.name)")
            #expect(created.map { $0.labels.map(\.1) } == series.map { $0.labels.map(\.1) }, "\(family.name)")
            // The process's CPU time counts from the process's start, the rest from the exporter's.
            let start =
                family == MetricCatalogue.processCPUSeconds
                ? ExpositionFixtures.process.startTimeSeconds : ExpositionFixtures.started
            #expect(created.allSatisfy { goFloat($0.value) == start }, "\(family.name)")
        }
        #expect(
            !samples.contains {
                $0.name.hasSuffix("_created") && !$0.name.hasPrefix("cckm_")
                    && !$0.name.hasPrefix("process_cpu")
            })
    }

    @Test func unitIsDeclaredForEverySecondsFamilyAndOnlyThere() {
        let units = ExpositionTests.text(.openMetrics).split(separator: "\n").filter {
            $0.hasPrefix("# UNIT ")
        }
        // The golden snapshot has no client certificate (ClientCertificateExpiryTests).
        let expected = MetricCatalogue.all.filter {
            $0.openMetricsName.hasSuffix("_seconds")
                && !MetricCatalogue.clientCertificateFamilies.contains($0)
        }
        .map { "# UNIT \($0.openMetricsName) seconds" }
        #expect(units.map(String.init) == expected)
        #expect(expected.contains("# UNIT process_cpu_seconds seconds"))
        #expect(expected.contains("# UNIT cckm_sync_job_duration_seconds seconds"))
    }

    @Test func theTextFormatHasNeitherCreatedSamplesNorUnits() {
        #expect(!Self.samples(.prometheusText).contains { $0.name.hasSuffix("_created") })
        #expect(!ExpositionTests.text(.prometheusText).contains("# UNIT"))
    }

    @Test func withoutAStartNoCreatedSampleIsWritten() {
        var snapshot = ExpositionFixtures.snapshot
        snapshot.seriesCreated = nil
        let text = String(decoding: ExpositionWriter.render(snapshot, format: .openMetrics), as: UTF8.self)
        #expect(
            !text.split(separator: "\n").contains {
                ExpositionSample(String($0))?.name.hasSuffix("_created") == true
            })
        #expect(text.contains("# UNIT cckm_sync_job_duration_seconds seconds"))
    }

    @Test func protobufCountersAndHistogramsCarryTheirCreatedTimestampAndSecondsFamiliesTheirUnit() {
        for family in ProtobufExpositionTests.families {
            let descriptor = MetricCatalogue.all.first { $0.name == family.name }
            #expect(family.unit == descriptor?.unit, "\(family.name)")
            let start =
                family.name == MetricCatalogue.processCPUSeconds.name
                ? ExpositionFixtures.process.startTimeSeconds : ExpositionFixtures.started
            for metric in family.metrics {
                switch family.type {
                case 0: #expect(metric.created == start, "\(family.name)")
                case 4: #expect(metric.histogram?.created == start, "\(family.name)")
                default: #expect(metric.created == nil, "\(family.name)")
                }
            }
        }
    }

    @Test func theReferenceGrammarRefusesMisplacedCreatedSamplesAndUnits() {
        let broken = [
            // _created before the series' _total
            "# HELP a x\n# TYPE a counter\na_created 1.0\na_total 1.0\n# EOF\n",
            // _created of another series
            "# HELP a x\n# TYPE a counter\na_total{l=\"1\"} 1.0\na_created{l=\"2\"} 1.0\n# EOF\n",
            // a unit the name does not end in
            "# HELP a_seconds x\n# TYPE a_seconds gauge\n# UNIT a_seconds bytes\na_seconds 1.0\n# EOF\n",
            // a unit after the samples
            "# HELP a_seconds x\n# TYPE a_seconds gauge\na_seconds 1.0\n# UNIT a_seconds seconds\n# EOF\n",
        ]
        for text in broken {
            #expect(!ExpositionGrammar.check(text, format: .openMetrics).problems.isEmpty, "\(text)")
        }
        let good =
            "# HELP a_seconds x\n# TYPE a_seconds counter\n# UNIT a_seconds seconds\n"
            + "a_seconds_total 1.0\na_seconds_created 2.0\n# EOF\n"
        #expect(ExpositionGrammar.check(good, format: .openMetrics).problems == [])
    }
}
