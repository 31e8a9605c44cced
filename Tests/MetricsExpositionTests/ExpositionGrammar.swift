import MetricsExposition
import TestSupport

/// A small, independent reader of the two text formats, used as the reference parse: it
/// returns every rule an output breaks (empty when it is well-formed).
///
/// Checks: each line is a HELP, TYPE or sample line of the grammar; every sample belongs to
/// the family declared just before it (HELP then TYPE, once each, before its samples, so
/// families are contiguous); families sorted by name; no series twice; label values only
/// use the escapes `\\`, `\"`, `\n`; values are Go floats; histograms have increasing `le`
/// ending in `+Inf`, cumulative counts and `_count` equal to the `+Inf` bucket. OpenMetrics
/// adds: counter samples end in `_total`, `le` is a canonical float, `# EOF` ends the text,
/// `# UNIT` right after TYPE names the suffix of its family's name, and a `_created` sample
/// comes right after its series' `_total` (counter) or `_count` (histogram).
struct ExpositionGrammar {
    let format: ExpositionFormat
    private(set) var problems: [String] = []
    private var family: (name: String, type: String, helpSeen: Bool)?
    private var declared: Set<String> = []
    private var familyOrder: [String] = []
    private var series: Set<String> = []
    private var buckets: (key: String, le: Double, count: Double)?
    /// Label values of the family's previous series: each must sort after it.
    private var previousSeries: [String]?
    /// Sample names seen, for "does the output have this metric" checks.
    private(set) var sampleNames: Set<String> = []
    /// The previous sample: a `_created` sample must follow its series' `_total` or `_count`.
    private var previousSample: ExpositionSample?
    /// Samples of the current family so far (`# UNIT` comes before them).
    private var familySamples = 0

    static func check(_ text: String, format: ExpositionFormat) -> ExpositionGrammar {
        var grammar = ExpositionGrammar(format: format)
        grammar.read(text)
        return grammar
    }

    private init(format: ExpositionFormat) { self.format = format }

    private mutating func read(_ text: String) {
        guard text.hasSuffix("\n") else { return fail("output does not end with a newline") }
        var lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if format == .openMetrics {
            guard lines.last == "# EOF" else { return fail("OpenMetrics output does not end with # EOF") }
            lines.removeLast()
        }
        for (number, line) in lines.enumerated() { readLine(line, number: number + 1) }
        let sorted = familyOrder.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        if familyOrder != sorted { fail("families not sorted by name: \(familyOrder)") }
    }

    private mutating func readLine(_ line: String, number: Int) {
        if line.hasPrefix("# HELP ") {
            readHelp(String(line.dropFirst(7)), number)
        } else if line.hasPrefix("# TYPE ") {
            readType(String(line.dropFirst(7)), number)
        } else if format == .openMetrics, line.hasPrefix("# UNIT ") {
            readUnit(String(line.dropFirst(7)), number)
        } else if line.hasPrefix("#") {
            fail("line \(number): unexpected comment \(line)")
        } else if let sample = ExpositionSample(line) {
            readSample(sample, line: line, number: number)
        } else {
            fail("line \(number): not a sample: \(line)")
        }
    }

    private mutating func readHelp(_ rest: String, _ number: Int) {
        guard let space = rest.firstIndex(of: " ") else { return fail("line \(number): HELP without text") }
        let name = String(rest[..<space])
        guard isMetricName(name), !declared.contains(name) else {
            return fail("line \(number): HELP for \(name) again or bad name")
        }
        guard helpEscapesAreValid(rest[rest.index(after: space)...]) else {
            return fail("line \(number): bad escape in HELP")
        }
        declared.insert(name)
        familyOrder.append(familyOrderName(name))
        family = (name, "", true)
        previousSeries = nil
        familySamples = 0
    }

    private mutating func readType(_ rest: String, _ number: Int) {
        let parts = rest.split(separator: " ").map(String.init)
        let types =
            format == .openMetrics
            ? ["counter", "gauge", "histogram", "gaugehistogram", "stateset", "info", "summary", "unknown"]
            : ["counter", "gauge", "histogram", "summary", "untyped"]
        guard parts.count == 2, types.contains(parts[1]) else {
            return fail("line \(number): bad TYPE \(rest)")
        }
        guard let current = family, current.name == parts[0], current.type.isEmpty else {
            return fail("line \(number): TYPE \(parts[0]) not right after its HELP")
        }
        family = (current.name, parts[1], true)
    }

    /// `# UNIT name unit`: right after TYPE, before any sample, and `name` ends in `_unit`.
    private mutating func readUnit(_ rest: String, _ number: Int) {
        let parts = rest.split(separator: " ").map(String.init)
        guard parts.count == 2, let current = family, current.name == parts[0], !current.type.isEmpty,
            familySamples == 0
        else { return fail("line \(number): UNIT \(rest) not right after its TYPE") }
        if !parts[0].hasSuffix("_" + parts[1]) {
            fail("line \(number): \(parts[0]) does not end in _\(parts[1])")
        }
    }

    private mutating func readSample(_ sample: ExpositionSample, line: String, number: Int) {
        defer {
            previousSample = sample
            familySamples += 1
        }
        sampleNames.insert(sample.name)
        guard let family, !family.type.isEmpty else {
            return fail("line \(number): sample before HELP and TYPE")
        }
        guard let suffix = suffix(of: sample.name, in: family) else {
            return fail("line \(number): \(sample.name) is not a sample of \(family.type) \(family.name)")
        }
        let identity =
            sample.name + "{" + sample.labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
        if !series.insert(identity).inserted { fail("line \(number): series twice: \(identity)") }
        if let problem = sample.problem(format: format) { fail("line \(number): \(problem)") }
        if suffix == "_created" { return checkCreated(sample, family: family, number: number) }
        if family.type == "histogram" { checkHistogram(sample, suffix: suffix, number: number) }
        if family.type != "histogram" || suffix == "_count" { checkOrder(sample, number: number) }
    }

    /// `_created` follows the `_total` or `_count` sample of the same series.
    private mutating func checkCreated(
        _ sample: ExpositionSample, family: (name: String, type: String, helpSeen: Bool), number: Int
    ) {
        let owner = family.name + (family.type == "histogram" ? "_count" : "_total")
        guard let previous = previousSample, previous.name == owner,
            previous.labels.map({ "\($0.0)=\($0.1)" }) == sample.labels.map({ "\($0.0)=\($0.1)" })
        else { return fail("line \(number): \(sample.name) not right after its series' \(owner)") }
    }

    /// Series sorted by label values compared as bytes, as client_golang sorts them.
    private mutating func checkOrder(_ sample: ExpositionSample, number: Int) {
        let values = sample.labels.filter { $0.0 != "le" }.map(\.1)
        if let previous = previousSeries, !labelValuesAscending(previous, values) {
            fail("line \(number): series not sorted by label values")
        }
        previousSeries = values
    }

    private func labelValuesAscending(_ a: [String], _ b: [String]) -> Bool {
        for (left, right) in zip(a, b) where !left.utf8.elementsEqual(right.utf8) {
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return a.count < b.count
    }

    /// The part after the family name a sample of this family must have, nil when none fits.
    private func suffix(of name: String, in family: (name: String, type: String, helpSeen: Bool)) -> String? {
        let allowed: [String] =
            switch (family.type, format) {
            case ("histogram", .openMetrics): ["_bucket", "_sum", "_count", "_created"]
            case ("histogram", _): ["_bucket", "_sum", "_count"]
            case ("counter", .openMetrics): ["_total", "_created"]
            default: [""]
            }
        return allowed.first { family.name + $0 == name }
    }

    private mutating func checkHistogram(_ sample: ExpositionSample, suffix: String, number: Int) {
        let others = sample.labels.filter { $0.0 != "le" }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        switch suffix {
        case "_bucket":
            guard let leText = sample.labels.last.flatMap({ $0.0 == "le" ? $0.1 : nil }),
                let le = goFloat(leText), let count = goFloat(sample.value)
            else { return fail("line \(number): bucket without le last") }
            if format == .openMetrics, leText != "+Inf", !leText.contains(".") {
                fail("line \(number): le \(leText) not canonical")
            }
            if let previous = buckets, previous.key == others, !(previous.le < le && previous.count <= count)
            {
                fail("line \(number): buckets not increasing")
            }
            buckets = (others, le, count)
        case "_count":
            if buckets?.key != others || buckets?.le != .infinity || buckets?.count != goFloat(sample.value) {
                fail("line \(number): _count differs from the +Inf bucket")
            }
        default: break
        }
    }

    private func familyOrderName(_ name: String) -> String {
        // Families are sorted by the sample name client_golang uses (with `_total`).
        format == .openMetrics
            && MetricCatalogue.all.contains { $0.openMetricsName == name && $0.type == .counter }
            ? name + "_total" : name
    }

    private func helpEscapesAreValid(_ help: Substring) -> Bool {
        var escaped = false
        for character in help {
            if escaped {
                guard character == "\\" || character == "n" || (format == .openMetrics && character == "\"")
                else { return false }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if format == .openMetrics && character == "\"" {
                return false
            }
        }
        return !escaped
    }

    private mutating func fail(_ problem: String) { problems.append(problem) }
}

extension ExpositionSample {
    /// Format rules beyond the grammar, nil when there is none to report.
    func problem(format: ExpositionFormat) -> String? {
        if let exemplar {
            guard format == .openMetrics else { return "\(name): an exemplar outside OpenMetrics" }
            guard name.hasSuffix("_bucket") || name.hasSuffix("_total") else {
                return "\(name): an exemplar on neither a bucket nor a counter"
            }
            let characters = exemplar.labels.reduce(0) { $0 + $1.0.count + $1.1.count }
            if characters > 128 { return "\(name): exemplar labels of \(characters) characters" }
        }
        if format == .openMetrics, name.hasSuffix("_bucket") || name.hasSuffix("_count"),
            value.contains(".") || value.contains("e")
        {
            return "\(name): a count written as a float: \(value)"
        }
        return nil
    }
}
