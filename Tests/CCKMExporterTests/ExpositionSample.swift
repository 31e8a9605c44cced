import CCKMExporter

/// One sample line, `name{label="value",…} value`, read by the reference grammar.
struct ExpositionSample {
    var name: String
    /// Label names and their values, still escaped as written.
    var labels: [(String, String)]
    var value: String

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
        value = String(rest.dropFirst())
        guard goFloat(value) != nil else { return nil }
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
        if format == .openMetrics, name.hasSuffix("_bucket") || name.hasSuffix("_count"),
            value.contains(".") || value.contains("e")
        {
            return "\(name): a count written as a float: \(value)"
        }
        return nil
    }
}
