import Foundation
import Testing
import TextFormats

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test("log lines, the status page and the simulator each get their form")
    func forms() {
        #expect(
            UTCTimestamp.string(1_795_917_600.0129, precision: .milliseconds) == "2026-11-29T02:00:00.012Z")
        #expect(
            UTCTimestamp.string(1_795_917_600.999, precision: .seconds, separator: .space)
                == "2026-11-29 02:00:00Z")
        #expect(
            UTCTimestamp.string(
                1_604_558_385.726289, precision: .microseconds, rounding: .toNearestOrAwayFromZero)
                == "2020-11-05T06:39:45.726289Z")
        #expect(UTCTimestamp.string(0, precision: .seconds) == "1970-01-01T00:00:00Z")
        var bytes = Array("at ".utf8)
        UTCTimestamp.append(951_782_400.5, precision: .milliseconds, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "at 2000-02-29T00:00:00.500Z")
    }

    @Test("rounding: down by default (as a clock shows), to nearest when asked")
    func rounding() {
        #expect(UTCTimestamp.string(59.9996, precision: .milliseconds) == "1970-01-01T00:00:59.999Z")
        #expect(
            UTCTimestamp.string(59.9996, precision: .milliseconds, rounding: .toNearestOrAwayFromZero)
                == "1970-01-01T00:01:00.000Z")
    }

    @Test("before 1970, and years past 9999, as gmtime and %04d would write them")
    func edges() {
        #expect(UTCTimestamp.string(-0.5, precision: .milliseconds) == "1969-12-31T23:59:59.500Z")
        #expect(UTCTimestamp.string(-62_135_596_800, precision: .seconds) == "0001-01-01T00:00:00Z")
        #expect(UTCTimestamp.string(253_402_300_800, precision: .seconds) == "10000-01-01T00:00:00Z")
    }

    @Test("agrees with gmtime_r over times spread from 1 AD to 9999")
    func matchesGmtime() {
        let first: Int64 = -62_135_596_800_000_000  // 0001-01-01, in microseconds
        let span: Int64 = 315_537_897_600_000_000  // to 10000-01-01
        for index in 0..<8_000 {
            // A large odd step modulo the span lands on every field's whole range.
            let microseconds = first + Int64((UInt64(index) &* 0x9E37_79B9_7F4A_7C15) % UInt64(span))
            let seconds = Double(microseconds) / 1_000_000
            var time = time_t(seconds.rounded(.down))
            var parts = tm()
            gmtime_r(&time, &parts)
            let expected = String(
                format: "%04d-%02d-%02d %02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
            #expect(UTCTimestamp.string(seconds, precision: .seconds, separator: .space) == expected)
        }
    }
}
