import Foundation
import Testing

@testable import CMWire

/// 2020-11-05T06:39:45Z, the example job's `createdAt` without its fraction.
private let exampleSeconds = 1_604_558_385.0

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("Fractional seconds with 0 to 9 digits are all accepted")
    func fractionalDigitsZeroToNine() throws {
        #expect(RFC3339.parse("2020-11-05T06:39:45Z") == exampleSeconds)
        let digits = "123456789"
        for count in 1...9 {
            let fraction = String(digits.prefix(count))
            let parsed = try #require(RFC3339.parse("2020-11-05T06:39:45.\(fraction)Z"))
            let expected = exampleSeconds + Double(fraction)! / pow(10, Double(count))
            #expect(abs(parsed - expected) < 1e-6, "\(count) digits")
        }
    }

    @Test("Microseconds survive exactly, as in the example job")
    func microsecondsAreExact() {
        #expect(RFC3339.parse("2020-11-05T06:39:45.726289Z") == exampleSeconds + 0.726289)
    }

    @Test("More than 9 fractional digits are rejected")
    func tenFractionalDigitsRejected() {
        #expect(RFC3339.parse("2020-11-05T06:39:45.1234567891Z") == nil)
        #expect(
            RFC3339.parse("2020-11-05T06:39:45." + String(repeating: "0", count: 200) + "Z") == nil)
    }

    @Test("A dot without digits is rejected")
    func emptyFractionRejected() {
        #expect(RFC3339.parse("2020-11-05T06:39:45.Z") == nil)
    }

    @Test("Z and z both mean UTC")
    func zuluInBothCases() {
        #expect(RFC3339.parse("2020-11-05T06:39:45z") == exampleSeconds)
        #expect(RFC3339.parse("2020-11-05t06:39:45Z") == exampleSeconds)
        #expect(RFC3339.parse("2020-11-05 06:39:45Z") == exampleSeconds)
    }

    @Test("Offsets east and west of UTC are subtracted")
    func numericOffsets() throws {
        let east = try #require(RFC3339.parse("2020-11-05T06:39:45.726289+05:30"))
        #expect(abs(east - (exampleSeconds - 19_800 + 0.726289)) < 1e-6)
        #expect(RFC3339.parse("2020-11-05T01:39:45-05:00") == exampleSeconds)
        #expect(RFC3339.parse("2020-11-05T06:39:45-05:00") == exampleSeconds + 5 * 3_600)
        #expect(RFC3339.parse("2020-11-05T06:39:45+00:00") == exampleSeconds)
        #expect(RFC3339.parse("2020-11-05T06:39:45-00:00") == exampleSeconds)
        #expect(RFC3339.parse("2020-11-05T06:39:45+23:59") == exampleSeconds - 86_340)
    }

    @Test("Go's zero time has its documented value")
    func goZeroTime() {
        #expect(RFC3339.goZeroTime == -62_135_596_800)
        #expect(RFC3339.parse("0001-01-01T00:00:00Z") == RFC3339.goZeroTime)
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.parse("0000-01-01T00:00:00Z") == -62_167_219_200)
        #expect(RFC3339.parse("9999-12-31T23:59:59Z") == 253_402_300_799)
    }

    @Test("Leap days exist only in leap years")
    func leapDay() {
        #expect(RFC3339.parse("2020-02-29T00:00:00Z") == 1_582_934_400)
        #expect(RFC3339.parse("2000-02-29T00:00:00Z") == 951_782_400)
        #expect(RFC3339.parse("2021-02-29T00:00:00Z") == nil)
        #expect(RFC3339.parse("1900-02-29T00:00:00Z") == nil)
        #expect(RFC3339.parse("2020-02-30T00:00:00Z") == nil)
    }

    @Test("Second 60 is a leap second and rolls into the next minute")
    func leapSecond() {
        #expect(RFC3339.parse("2016-12-31T23:59:60Z") == RFC3339.parse("2017-01-01T00:00:00Z"))
        #expect(RFC3339.parse("2016-12-31T23:59:61Z") == nil)
    }

    @Test(
        "Out-of-range fields are rejected",
        arguments: [
            "2020-13-01T00:00:00Z", "2020-00-01T00:00:00Z", "2020-01-00T00:00:00Z",
            "2020-01-32T00:00:00Z", "2020-04-31T00:00:00Z", "2020-01-01T24:00:00Z",
            "2020-01-01T00:60:00Z", "2020-01-01T00:00:00+24:00", "2020-01-01T00:00:00+05:60",
        ])
    func outOfRangeRejected(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test(
        "Garbage is rejected",
        arguments: [
            "", "Z", "2020", "2020-11-05", "2020-11-05T06:39:45", "2020-11-05T06:39:45.123",
            "2020-11-05T06:39:45Zjunk", "2020-11-05T06:39:45Z ", " 2020-11-05T06:39:45Z",
            "2020-11-05T06:39:45+05:30x", "2020-11-05T06:39:45+0530", "2020-11-05T06:39:45+05",
            "2O20-11-05T06:39:45Z", "2020/11/05T06:39:45Z", "2020-11-05X06:39:45Z",
            "2020-11-05T06-39-45Z", "2020-1a-05T06:39:45Z", "2020-11-05T06:39:45.12a4Z",
            "2020-11-05T06:39:45,5Z", "+2020-11-05T06:39:45Z", "2020-11-05T06:39:4Z",
            "0001-01-01T00:00:00", "null", "2020-11-05T06:39:45\u{0}Z",
        ])
    func garbageRejected(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("Bytes and String entry points agree, and an empty buffer is nil")
    func bytesEntryPoint() {
        let text = "2020-11-05T06:39:45.726289Z"
        let fromBytes = Array(text.utf8).withUnsafeBytes { RFC3339.parse($0) }
        #expect(fromBytes == RFC3339.parse(text))
        #expect(RFC3339.parse(UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
    }

    @Test("Random valid timestamps agree with ISO8601DateFormatter")
    func agreesWithFoundationOracle() throws {
        var generator = IngestTestRandom(seed: 0x5EED_2020)
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let withoutFraction = ISO8601DateFormatter()
        withoutFraction.formatOptions = [.withInternetDateTime]
        for _ in 0..<2_000 {
            let text = IngestTestTimestamps.make(using: &generator)
            let ours = try #require(RFC3339.parse(text), "\(text)")
            let oracle = text.contains(".") ? withFraction : withoutFraction
            let theirs = try #require(oracle.date(from: text), "\(text)").timeIntervalSince1970
            // The formatter keeps milliseconds only (truncated); ours keeps the rest.
            #expect(ours - theirs > -1e-5 && ours - theirs < 1e-3 + 1e-5, "\(text)")
        }
    }
}

/// Timestamps in 1600–2399 (the oracle uses the Julian calendar before 1583) with random
/// fractions, separators' case and offsets.
enum IngestTestTimestamps {
    static func make(using generator: inout IngestTestRandom) -> String {
        let year = Int.random(in: 1600...2399, using: &generator)
        let month = Int.random(in: 1...12, using: &generator)
        let day = Int.random(in: 1...RFC3339.daysInMonth(month, year: year), using: &generator)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(Int.random(in: 0...23, using: &generator), 2) + ":"
        text += pad(Int.random(in: 0...59, using: &generator), 2) + ":"
        text += pad(Int.random(in: 0...59, using: &generator), 2)
        let digits = Int.random(in: 0...9, using: &generator)
        if digits > 0 {
            text +=
                "."
                + (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }
                .joined()
        }
        switch Int.random(in: 0...2, using: &generator) {
        case 0: text += "Z"
        default:
            text += Bool.random(using: &generator) ? "+" : "-"
            text += pad(Int.random(in: 0...14, using: &generator), 2) + ":"
            text += pad([0, 15, 30, 45].randomElement(using: &generator) ?? 0, 2)
        }
        return text
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A seeded generator so that random tests are reproducible.
struct IngestTestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
