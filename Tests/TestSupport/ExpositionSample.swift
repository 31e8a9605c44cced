/// One sample line of the text formats, `name{label="value",…} value`, with an OpenMetrics
/// exemplar ` # {label="value"} value timestamp` after it if there is one: the reference
/// reading of a sample that the exposition grammar and every test reading `/metrics` share.
public struct ExpositionSample {
    public var name: String
    /// Label names and their values, still escaped as written.
    public var labels: [(String, String)]
    public var value: String
    /// The exemplar's labels (escaped), value and timestamp.
    public var exemplar: (labels: [(String, String)], value: String, timestamp: String?)?

    /// Nil when the line does not follow the sample grammar (no timestamps: we write none).
    public init?(_ line: String) {
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

    /// `name{labels}` as written (labels still escaped), the key a series is found by.
    public var series: String {
        labels.isEmpty ? name : name + "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
    }

    /// The value as a number (`+Inf`, `-Inf` and `NaN` included).
    public var number: Double { goFloat(value)! }

    /// Every sample of a text exposition by ``series``; comment lines are skipped, and so is a
    /// line that is not a sample (the grammar tests report those).
    public static func values(in text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let sample = ExpositionSample(String(line)) else { continue }
            values[sample.series] = sample.number
        }
        return values
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
}

/// A metric or label name of the text formats: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
public func isMetricName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else {
        return false
    }
    return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == ":" }
}

/// Go's `strconv.ParseFloat` as the Prometheus parsers use it, for the spellings we write.
public func goFloat(_ text: String) -> Double? {
    switch text {
    case "NaN": .nan
    case "+Inf": .infinity
    case "-Inf": -.infinity
    default:
        text.unicodeScalars.allSatisfy { "0123456789.e+-".unicodeScalars.contains($0) } ? Double(text) : nil
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
