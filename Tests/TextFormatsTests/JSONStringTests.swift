import Foundation
import Testing
import TextFormats

@Suite("JSON strings")
struct JSONStringTests {
    @Test("quote and backslash escaped, \\n \\r \\t by name, other C0 controls as \\u00xx")
    func escapes() {
        #expect(JSONString.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONString.quoted("\n\r\t") == #""\n\r\t""#)
        #expect(JSONString.quoted("\u{0}\u{1}\u{1B}\u{1F}") == #""\u0000\u0001\u001b\u001f""#)
        #expect(JSONString.quoted("") == #""""#)
    }

    @Test("DEL, C1, non-ASCII and astral scalars pass as UTF-8 unless asked to escape")
    func passesUTF8() {
        let text = "\u{7F}\u{85}é東京\u{2028}\u{1F600}/"
        #expect(JSONString.quoted(text) == "\"" + text + "\"")
    }

    @Test("scalars the caller names are \\u escapes, above U+FFFF as a surrogate pair")
    func alsoEscaping() {
        let escaped = JSONString.quoted("a\u{7F}\u{202E}é\u{1F600}") { $0.value != 0xE9 }
        #expect(escaped == #""a\u007f\u202eé\ud83d\ude00""#)
        // The predicate is not asked about what JSON escapes anyway or about printable ASCII.
        let asked = JSONString.quoted("x\"\n\u{1}y") { _ in
            Issue.record("asked"); return true
        }
        #expect(asked == #""x\"\n\u0001y""#)
    }

    @Test("what it writes parses back to the same text")
    func roundTrip() throws {
        // No U+FEFF: Foundation's parser on Linux drops it wherever it stands.
        let pool: [Unicode.Scalar] =
            (0..<0x30).compactMap(Unicode.Scalar.init) + [
                "\"", "\\", "/", "\u{7F}", "\u{85}", "\u{2028}", "é", "東", "\u{1F600}",
            ]
        // Every pair of the pool, then longer texts read off the digits of a spread-out number.
        let pairs = pool.flatMap { first in pool.map { String(first) + String($0) } }
        let longer = (0..<400).map { index in
            var digits = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            var text = String.UnicodeScalarView()
            while digits > 0 {
                text.append(pool[Int(digits % UInt64(pool.count))])
                digits /= UInt64(pool.count)
            }
            return String(text)
        }
        for original in pairs + longer {
            for escapeAll in [false, true] {
                var bytes = Array("[".utf8)
                JSONString.append(original, to: &bytes) { _ in escapeAll }
                bytes.append(UInt8(ascii: "]"))
                let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String]
                #expect(parsed == [original], "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}
