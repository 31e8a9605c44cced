import MetricsExposition

/// One sample line, `name{label="value",…} value`, read by the reference grammar, with an
/// OpenMetrics exemplar ` # {label="value"} value timestamp` after it if there is one.
struct ExpositionSample {
    var name: String
    /// Label names and their values, still escaped as written.
    var labels: [(String, String)]
    var value: String
    /// The exemplar's labels (escaped), value and timestamp.
    var exemplar: (labels: [(String, String)], value: String, timestamp: String?)?

    /// Nil when the line does not follow the sample grammar (no timestamps: we write none).
    init?(_ line: String) {
        var rest = Substring(line)
        guard let nameEnd = rest.firstIndex(where: { $0 == "{" || $0 == " " }) else { return nil }
        name = String(rest[..<nameEnd])
        guard isMetricName(name) else { return nil }
        rest = rest[nameEnd...]
        labels = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            guard let parsed = Self.readLabels(&rest) else { return nil }
            labels = parsed
        }
        guard rest.first == " " else { return nil }
        rest = rest.dropFirst()
        let valueEnd = rest.firstIndex(of: " ") ?? rest.endIndex
        value = String(rest[..<valueEnd])
        guard goFloat(value) != nil else { return nil }
        rest = rest[valueEnd...]
        if !rest.isEmpty {
            guard rest.hasPrefix(" # {"), let exemplar = Self.readExemplar(rest.dropFirst(4)) else {
                return nil
            }
            self.exemplar = exemplar
        }
    }

    /// `label="value"} value [timestamp]`, the part of an exemplar after its `{`.
    private static func readExemplar(_ text: Substring) -> (
        labels: [(String, String)], value: String, timestamp: String?
    )? {
        var rest = text
        guard let labels = readLabels(&rest), rest.first == " " else { return nil }
        let numbers = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false).map(
            String.init)
        guard (1...2).contains(numbers.count), numbers.allSatisfy({ goFloat($0) != nil }) else { return nil }
        return (labels, numbers[0], numbers.count == 2 ? numbers[1] : nil)
    }

    /// `a="x",b="y"}`: consumes through the closing brace.
    private static func readLabels(_ rest: inout Substring) -> [(String, String)]? {
        var labels: [(String, String)] = []
        while rest.first != "}" {
            if !labels.isEmpty {
                guard rest.first == "," else { return nil }
                rest = rest.dropFirst()
            }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = String(rest[..<equals])
            guard isMetricName(name), !name.contains(":"), !labels.contains(where: { $0.0 == name }) else {
                return nil
            }
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"", let value = readQuoted(&rest) else { return nil }
            labels.append((name, value))
        }
        rest = rest.dropFirst()
        return labels
    }

    /// A quoted label value with only the escapes `\\`, `\"` and `\n`; returns it still escaped.
    private static func readQuoted(_ rest: inout Substring) -> String? {
        rest = rest.dropFirst()
        var value = ""
        var escaped = false
        while let character = rest.first {
            rest = rest.dropFirst()
            if escaped {
                guard character == "\\" || character == "\"" || character == "n" else { return nil }
                value.append(character)
                escaped = false
            } else if character == "\\" {
                value.append(character)
                escaped = true
            } else if character == "\"" {
                return value
            } else if character == "\n" {
                return nil
            } else {
                value.append(character)
            }
        }
        return nil
    }

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
