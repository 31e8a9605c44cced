import Foundation
import Testing

@testable import CMWire

@Suite("Job page decoder on generated pages")
struct JobPageDecoderGeneratedTests {
    @Test("A large generated page decodes to exactly the jobs it was written from")
    func largeGeneratedPageRoundTrip() throws {
        var writer = GeneratedPageWriter(seed: 0xC0FFEE)
        for pretty in [false, true] {
            let (text, expected) = writer.page(jobCount: 2_000, pretty: pretty)
            let page = try JobPageDecoder.decodePage(Array(text.utf8))
            #expect(page.jobs.count == expected.jobs.count)
            for (decoded, wanted) in zip(page.jobs, expected.jobs) where decoded != wanted {
                Issue.record("decoded \(decoded), wanted \(wanted)")
                break
            }
            #expect(page == expected, "pretty: \(pretty)")
        }
    }
}

/// Writes pages of random jobs as JSON text with random member order, whitespace and escapes,
/// next to the ``JobPage`` the decoder must return. Timestamps are written by Foundation's
/// `ISO8601DateFormatter`, so the expected values do not come from ``RFC3339``.
struct GeneratedPageWriter {
    private var random: IngestTestRandom
    private let formatters: [ISO8601DateFormatter]
    private let statuses = [
        "in_progress", "completed", "failed", "aborted", "error", "weird ✓ \"status\"",
    ]
    private let texts = [
        "in_progress", "region synchronized successfully", "Success", "failed: \"quota\"\n\tretry",
    ]

    init(seed: UInt64) {
        random = IngestTestRandom(seed: seed)
        formatters = [0, 19_800, -18_000, 3_600].map { offset in
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: offset)
            return formatter
        }
    }

    mutating func page(jobCount: Int, pretty: Bool) -> (String, JobPage) {
        var expected = JobPage(skip: 0, limit: jobCount, total: jobCount)
        var elements: [String] = []
        for index in 0..<jobCount {
            let (members, outcome) = job(index)
            elements.append(object(members, pretty: pretty))
            switch outcome {
            case .job(let job): expected.jobs.append(job)
            case .invalid(let invalid): expected.invalid.append(invalid)
            }
        }
        let resources = "[" + elements.joined(separator: pretty ? ",\n  " : ",") + "]"
        let text = object(
            [
                ("skip", "0"), ("limit", "\(jobCount)"), ("total", "\(jobCount)"),
                ("resources", resources),
            ],
            pretty: pretty)
        return (text, expected)
    }

    /// One job's members (key, JSON value) and what the decoder must make of them.
    private mutating func job(_ index: Int) -> ([(String, String)], DecodedJobElement) {
        let id = chance(10) ? "job \"\(index)\" ✓ 😀/\\" : uuid()
        let (createdText, createdAt) = timestamp()
        var members: [(String, String)] = [
            ("id", string(id)), ("createdAt", string(createdText)),
            ("uri", string("kylo:kylo:cckm:synchronize:" + id)),
            ("kms", "[\"kms\", {\"x\": [1, 2.5e3]}]"),
            ("updatedAt", string(createdText)), ("regions", chance(2) ? "null" : "[\"us-east-1\"]"),
        ]
        let status = chance(8) ? nil : statuses.randomElement(using: &random)
        if let status { members.append(("overall_status", string(status))) }
        let abort = chance(3)
        if abort || chance(2) { members.append(("abort", abort ? "true" : "false")) }
        let (completedValue, completedAt, completedInvalid) = completion(after: createdAt)
        if let completedValue { members.append(("completed_at", completedValue)) }
        let (detailedValue, detailed) = detailedStatus(index)
        members.append(("detailed_status", detailedValue))

        var outcome = DecodedJobElement.job(
            SyncJob(
                id: id, status: status ?? "unknown", createdAt: createdAt, completedAt: completedAt,
                completedAtInvalid: completedInvalid, abortRequested: abort,
                detailedStatus: detailed))
        switch Int.random(in: 0..<40, using: &random) {
        case 0:
            members.removeAll { $0.0 == "id" }
            outcome = .invalid(InvalidJob(id: nil, reason: .missingID))
        case 1:
            members = members.map {
                $0.0 == "createdAt" ? ($0.0, string("2021-02-29T00:00:00Z")) : $0
            }
            outcome = .invalid(InvalidJob(id: id, reason: .badCreatedAt))
        case 2:
            members.removeAll { $0.0 == "overall_status" }
            members.append(("overall_status", "[\"completed\"]"))
            outcome = .invalid(InvalidJob(id: id, reason: .malformed))
        default: break
        }
        return (members, outcome)
    }

    /// A `completed_at` member's value (nil: absent) with the expected value and flag.
    private mutating func completion(after createdAt: Double) -> (String?, Double?, Bool) {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return (nil, nil, false)
        case 1: return ("null", nil, false)
        case 2: return (string(""), nil, false)
        case 3: return (string("0001-01-01T00:00:00Z"), nil, false)
        case 4: return (string("2020-11-05T06:39:45"), nil, true)
        default:
            let (text, seconds) = timestamp(
                near: createdAt + Double(Int.random(in: 0...7_200, using: &random)))
            return (string(text), seconds, false)
        }
    }

    private mutating func detailedStatus(_ index: Int) -> (String, [SyncJob.ScopeStatus]) {
        if chance(10) { return ("null", []) }
        var members: [(String, String)] = []
        var entries: [SyncJob.ScopeStatus] = []
        for region in 0..<Int.random(in: 0...3, using: &random) {
            let scope = chance(4) ? "vault-ü-\(index)-\(region)" : "123456789012/region-\(region)"
            let text = texts.randomElement(using: &random) ?? ""
            members.append((scope, string(text)))
            entries.append(.init(scope: scope, text: text))
            if chance(4) {
                members.append(("skipped-\(region)", chance(2) ? "7" : "{\"a\": null}"))
            }
        }
        return (object(members, pretty: false, shuffled: false), entries)
    }

    /// RFC 3339 text for a random moment (or one near `seconds`) and its value.
    private mutating func timestamp(near seconds: Double? = nil) -> (String, Double) {
        let whole =
            seconds.map { $0.rounded(.down) }
            ?? Double(Int.random(in: 946_684_800...1_900_000_000, using: &random))
        let formatter = formatters.randomElement(using: &random) ?? formatters[0]
        var text = formatter.string(from: Date(timeIntervalSince1970: whole))
        let digits = Int.random(in: 0...9, using: &random)
        guard digits > 0 else { return (text, whole) }
        let fraction = Int.random(in: 0..<Int(pow(10, Double(digits))), using: &random)
        let fractionText = String(fraction)
        let zone =
            text.hasSuffix("Z")
            ? text.index(text.endIndex, offsetBy: -1) : text.index(text.endIndex, offsetBy: -6)
        text.insert(
            contentsOf: "." + String(repeating: "0", count: digits - fractionText.count)
                + fractionText, at: zone)
        return (text, whole + Double(fraction) / pow(10, Double(digits)))
    }

    private mutating func uuid() -> String {
        let hex = (0..<32).map { _ in String(Int.random(in: 0..<16, using: &random), radix: 16) }
            .joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }

    /// An object in random member order, compact or with random whitespace.
    private mutating func object(_ members: [(String, String)], pretty: Bool, shuffled: Bool = true)
        -> String
    {
        let ordered = shuffled ? members.shuffled(using: &random) : members
        let space = pretty ? "\n    " : ""
        let colon = pretty ? " : " : ":"
        return "{" + space
            + ordered.map { string($0.0) + colon + $0.1 }.joined(separator: "," + space) + space
            + "}"
    }

    /// A JSON string literal; any character may come out as a `\u` escape (UTF-16, so emoji
    /// become surrogate pairs) and `/` as `\/`.
    private mutating func string(_ value: String) -> String {
        var literal = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "/" where chance(4): literal += "\\/"
            case _ where scalar.value < 0x20 || chance(16):
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16, uppercase: chance(2))
                    literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }

    private mutating func chance(_ oneIn: Int) -> Bool {
        Int.random(in: 0..<oneIn, using: &random) == 0
    }
}
