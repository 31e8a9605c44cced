import Foundation
import Logging
import Synchronization
import Testing
import TextSafety

@testable import LineLogging

/// Every log line passes the scrubber of ``SecretRegistry/shared``, whatever path the text
/// took: a message, a metadata value, a job id from CM.
@Suite("Log lines scrub registered secrets")
struct LogSecretScrubbingTests {
    final class Owner {}

    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    @Test(
        "a registered secret, whole or in pieces, escaped or not, shows in no log line",
        arguments: LogFormat.allCases)
    func scrubbed(format: LogFormat) {
        let owner = Owner()
        let secret = "log-sink-Secret-7q"
        SecretRegistry.shared.register([secret], owner: owner, pinned: true)
        defer { SecretRegistry.shared.withdraw(owner: ObjectIdentifier(owner)) }
        let sink = Lines()
        let logger = Logger(label: "test") { _ in
            LineLogHandler(format: format, level: .info) { line in sink.lines.withLock { $0.append(line) } }
        }
        logger.info(
            "echo \(secret)",
            metadata: [
                "id": "job-\(secret.prefix(9))", "err": #"{\"password\":\"\#(secret.dropFirst(4))\"}"#,
            ])
        let text = sink.all
        let characters = Array(secret)
        let pieces = (0...(characters.count - 5)).map { String(characters[$0..<($0 + 5)]) }
        #expect(pieces.allSatisfy { !text.contains($0) }, "\(text)")
        #expect(text.contains("echo <redacted>"))
    }
}
