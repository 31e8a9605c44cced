import Foundation
import Testing

/// docs/LOGS.md lists every line the exporter can log, with its level: a new `logger.…("…")`
/// call without a row there fails this test.
@Suite("docs/LOGS.md documents every log line")
struct LogsDocumentationTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `(message, level)` of every `logger.<level>("<message>"` in the exporter's sources (the
    /// simulator is a test tool and does not log through them).
    private func loggedLines() throws -> [(message: String, level: String)] {
        let pattern = try NSRegularExpression(
            pattern: #"logger\.(debug|info|notice|warning|error|critical)\(\s*"([^"\\]+)""#)
        let sources = Self.repository.appendingPathComponent("Sources")
        var lines: [(String, String)] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/CCKMSimulator/") else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let level = String(text[Range(match.range(at: 1), in: text)!])
                let message = String(text[Range(match.range(at: 2), in: text)!])
                let name = ["warning": "warn", "notice": "info", "critical": "error"][level] ?? level
                lines.append((message, name))
            }
        }
        return lines
    }

    @Test("every logged message has a row with its level")
    func everyMessageDocumented() throws {
        let documentation = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/LOGS.md"), encoding: .utf8)
        let lines = try loggedLines()
        #expect(lines.count >= 15, "found only \(lines.count) log calls")
        for line in lines {
            #expect(
                documentation.contains("| `\(line.message)` | \(line.level) |"),
                "docs/LOGS.md has no row for msg=\"\(line.message)\" at \(line.level)")
        }
    }
}
