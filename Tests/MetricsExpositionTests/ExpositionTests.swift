import Foundation
import MetricsExposition
import TestSupport
import Testing

/// The whole `/metrics` output of a fixed snapshot in both formats: golden files, the
/// reference grammar, and `promtool check metrics`.
@Suite struct ExpositionTests {
    /// What `/metrics` serves: the snapshot with the server's counters in their sorted place,
    /// then `process_*`, then `# EOF` in OpenMetrics.
    static func output(_ format: ExpositionFormat) -> [UInt8] {
        let snapshot = ExpositionWriter.renderAroundServerFamilies(
            ExpositionFixtures.snapshot, format: format)
        var bytes = Array(snapshot.bytes[..<snapshot.serverOffset])
        bytes += ExpositionWriter.render(ExpositionFixtures.server, format: format)
        bytes += snapshot.bytes[snapshot.serverOffset...]
        bytes += ExpositionWriter.render(ExpositionFixtures.process, format: format)
        if format == .openMetrics { bytes += ExpositionWriter.openMetricsEOF }
        return bytes
    }

    static func text(_ format: ExpositionFormat) -> String {
        String(decoding: output(format), as: UTF8.self)
    }

    @Test(arguments: [
        (ExpositionFormat.prometheusText, "exposition.prom"), (.openMetrics, "exposition.openmetrics"),
    ])
    func outputMatchesTheGoldenFile(format: ExpositionFormat, name: String) throws {
        try GoldenFile(name).assertMatches(Self.output(format))
    }

    @Test func theSnapshotAroundTheServerCountersIsTheWholeSnapshot() {
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let split = ExpositionWriter.renderAroundServerFamilies(
                ExpositionFixtures.snapshot, format: format)
            #expect(split.bytes == ExpositionWriter.render(ExpositionFixtures.snapshot, format: format))
        }
    }

    /// Byte-stable means sorted, not "the same input order twice": the snapshot's arrays in
    /// reverse and its dictionary rebuilt in another order (and capacity, so it iterates
    /// differently) render the same bytes.
    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func renderingDoesNotDependOnInputOrder(format: ExpositionFormat) {
        let snapshot = ExpositionFixtures.snapshot
        var shuffled = snapshot
        shuffled.listings.reverse()
        shuffled.health.reverse()
        shuffled.apiRequests = [:]
        shuffled.apiRequests.reserveCapacity(64)
        for key in snapshot.apiRequests.keys.sorted(by: { "\($0)" > "\($1)" }) {
            shuffled.apiRequests[key] = snapshot.apiRequests[key]
        }
        #expect(
            ExpositionWriter.render(shuffled, format: format)
                == ExpositionWriter.render(snapshot, format: format))
    }

    @Test("a missing golden file fails under CI instead of recording itself")
    func missingGoldenFileFailsInCI() throws {
        let golden = GoldenFile("never-recorded-\(UInt32.random(in: 0...UInt32.max)).prom")
        withKnownIssue("CI is set and there is no baseline") {
            try golden.assertMatches(Array("x 1\n".utf8), environment: ["CI": "true"])
        }
        #expect(!FileManager.default.fileExists(atPath: golden.url.path), "it recorded itself")
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func outputFollowsTheReferenceGrammar(format: ExpositionFormat) {
        let grammar = ExpositionGrammar.check(Self.text(format), format: format)
        #expect(grammar.problems == [])
    }

    @Test func theReferenceGrammarFindsBrokenOutput() {
        let broken = [
            "cckm_up 1\n",
            "# HELP a x\n# TYPE a gauge\na{l=\"unterminated} 1\n",
            "# HELP a x\n# TYPE a gauge\na{l=\"\\t\"} 1\n",
            "# HELP b x\n# TYPE b gauge\nb 1\n# HELP a x\n# TYPE a gauge\na 1\n",
            "# HELP a x\n# TYPE a gauge\na{l=\"2\"} 1\na{l=\"1\"} 1\n",
            "# HELP a x\n# TYPE a counter\na 1.5 1700000000\n",
        ]
        for text in broken {
            #expect(!ExpositionGrammar.check(text, format: .prometheusText).problems.isEmpty, "\(text)")
        }
        #expect(
            !ExpositionGrammar.check("# HELP a x\n# TYPE a counter\na 1\n# EOF\n", format: .openMetrics)
                .problems.isEmpty)
    }

    @Test func everyFamilyOfTheCatalogueIsInTheGoldenOutput() {
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let grammar = ExpositionGrammar.check(Self.text(format), format: format)
            // The golden snapshot is unsharded and has no client certificate: the shard families
            // and the client-certificate families have their own tests.
            for family in MetricCatalogue.all
            where !MetricCatalogue.shardFamilies.contains(family)
                && !MetricCatalogue.clientCertificateFamilies.contains(family)
            {
                let sample = family.type == .histogram ? family.name + "_count" : family.name
                #expect(grammar.sampleNames.contains(sample), "\(family.name) missing in \(format)")
            }
        }
    }

    @Test(.enabled(if: Promtool.isInstalled, "promtool is not installed at \(Promtool.path)"))
    func promtoolCheckMetricsReportsNothingForTheTextFormat() throws {
        let result = try Promtool.checkMetrics(Self.output(.prometheusText))
        #expect(result.output == "")
        #expect(result.status == 0)
    }

    /// promtool (2.42 here) reads only the text 0.0.4 parser: in OpenMetrics it sees a counter's
    /// `# TYPE foo counter` and then `foo_total` samples of another, undeclared family. Those
    /// "no help text" findings, one per counter, must be the only ones, with one per counter and
    /// histogram for its `_created` samples (another undeclared family to it). That parser knows no
    /// exemplars either, so they are cut off first (the reference grammar above reads them, and
    /// the end-to-end test gives them to the OpenMetrics reference parser).
    @Test(.enabled(if: Promtool.isInstalled, "promtool is not installed at \(Promtool.path)"))
    func promtoolCheckMetricsFindsNothingElseInOpenMetrics() throws {
        let withoutExemplars = Self.text(.openMetrics).split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map { line in line.range(of: " # {").map { line[..<$0.lowerBound] } ?? line }
        .joined(separator: "\n")
        #expect(withoutExemplars != Self.text(.openMetrics), "the golden output has exemplars")
        let result = try Promtool.checkMetrics(Array(withoutExemplars.utf8))
        let counters =
            MetricCatalogue.all.filter { $0.type == .counter }.map { "\($0.name) no help text" }
            + MetricCatalogue.all.filter { $0.type != .gauge }.map {
                "\($0.openMetricsName)_created no help text"
            }
        let findings = result.output.split(separator: "\n").map(String.init)
        #expect(Set(findings) == Set(counters))
        #expect(findings.count == counters.count)
    }
}

/// A golden file under `Fixtures/golden/` of the source tree, with a record switch:
/// `RECORD_GOLDEN=1` writes it, and so does a missing file outside CI; otherwise the bytes
/// must match exactly. With `CI` set a missing file fails, so a golden test can never pass by
/// recording its own baseline.
struct GoldenFile {
    let url: URL

    init(_ name: String, sourceFile: String = #filePath) {
        url = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/golden").appendingPathComponent(name)
    }

    func assertMatches(
        _ bytes: [UInt8], environment: [String: String] = ProcessInfo.processInfo.environment,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let record = environment["RECORD_GOLDEN"] == "1"
        let missing = !FileManager.default.fileExists(atPath: url.path)
        if missing && !record && !(environment["CI"] ?? "").isEmpty {
            Issue.record(
                "no golden file \(url.lastPathComponent): record it with RECORD_GOLDEN=1 and commit it",
                sourceLocation: sourceLocation)
            return
        }
        if record || missing {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            print("recorded golden file \(url.path)")
            return
        }
        let expected = try [UInt8](Data(contentsOf: url))
        #expect(
            bytes == expected,
            "differs from \(url.lastPathComponent) (RECORD_GOLDEN=1 to refresh):\n\(firstDifference(bytes, expected))",
            sourceLocation: sourceLocation)
    }

    private func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String {
        let actualLines = String(decoding: actual, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = String(decoding: expected, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        for (index, pair) in zip(actualLines, expectedLines).enumerated() where pair.0 != pair.1 {
            return "line \(index + 1):\n  got      \(pair.0)\n  expected \(pair.1)"
        }
        return "lengths differ: \(actualLines.count) lines, expected \(expectedLines.count)"
    }
}
