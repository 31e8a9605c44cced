import Logging
import Synchronization

@testable import Polling

/// A log handler that keeps every entry, message and metadata as text: how the tests count
/// what a poller did (its complete walks, its warnings) from what it logs.
final class LogRecorder: LogHandler, Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let kept = Mutex<[Entry]>([])

    /// Every entry so far, oldest first.
    var entries: [Entry] { kept.withLock { $0 } }

    /// Entries whose message contains `text`.
    func count(_ text: String) -> Int { entries.filter { $0.message.contains(text) }.count }

    /// The `why` of each complete walk that ended (`poll finished` with `mode=complete`).
    var completeWalks: [String] {
        entries.compactMap { SteppedPoller.completeWalkReason(message: $0.message, metadata: $0.metadata) }
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let entry = Entry(
            level: event.level, message: event.message.description,
            metadata: (event.metadata ?? [:]).mapValues(\.description))
        kept.withLock { $0.append(entry) }
    }
}
