import Foundation
import Logging
import Synchronization
import Testing

@testable import LineLogging

/// Text from CM (job ids, statuses, scopes, error messages) may hold any character. A log line
/// must stay one line and must not carry terminal controls: ESC, CR, LF, NUL, BEL, DEL and the
/// C1 controls (U+0080–U+009F, U+009B is a one-character CSI) are escaped in both formats.
@Suite("Log lines escape control characters")
struct LogControlCharacterTests {
    static let hostile =
        "job\u{1B}[2J\u{1B}]0;owned\u{07}\r\nts=forged level=error\u{0}\u{7F}\u{9B}31m\u{85}end"

    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    private func logged(_ format: LogFormat) throws -> String {
        let sink = Lines()
        let logger = Logger(label: "test") { _ in
            LineLogHandler(format: format, level: .info) { line in sink.lines.withLock { $0.append(line) } }
        }
        logger.warning(
            "poll failed: \(Self.hostile)", metadata: ["err": "\(Self.hostile)", "id": "\(Self.hostile)"])
        return try #require(sink.all.first)
    }

    /// The control (and line-breaking) scalars left in `text`.
    static func controls(_ text: String) -> [String] {
        text.unicodeScalars.filter {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}"
        }.map { String(format: "U+%04X", $0.value) }
    }

    @Test("logfmt: every control character escaped, the line stays one line", arguments: LogFormat.allCases)
    func escaped(format: LogFormat) throws {
        let line = try logged(format)
        #expect(Self.controls(line).isEmpty, "\(Self.controls(line)) in \(line.debugDescription)")
        #expect(!line.contains("\nts=forged"))
    }

    @Test("logfmt spells the escapes the way go-logfmt does: \\u001b, \\u0000, \\u009b")
    func logfmtSpelling() throws {
        let line = try logged(.logfmt)
        #expect(
            line.contains(
                #"job\u001b[2J\u001b]0;owned\u0007\r\nts=forged level=error\u0000\u007f\u009b31m\u0085end"#))
    }

    @Test("json: the line still parses and gives back the original text")
    func jsonRoundTrip() throws {
        let line = try logged(.json)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["err"] == Self.hostile)
    }
}
