import Foundation
import Logging

/// A log handler in front of a poller's own: every event goes to the upstream handler when its
/// level is enabled there, and, at any level including debug, into the ``PollJournal`` poll the
/// CM has open, so the status page shows a poll's debug lines while stderr stays at `info`.
struct JournalLogHandler: LogHandler {
    private var upstream: any LogHandler
    private let journal: PollJournal

    init(upstream: any LogHandler, journal: PollJournal) {
        self.upstream = upstream
        self.journal = journal
    }

    /// Wraps `logger`'s handler; the result logs like `logger` and feeds `journal`.
    static func wrapping(_ logger: Logger, journal: PollJournal) -> Logger {
        let handler = JournalLogHandler(upstream: logger.handler, journal: journal)
        return Logger(label: logger.label, factory: { _ in handler })
    }

    /// Always debug: the journal wants every line; ``log(event:)`` filters for upstream.
    var logLevel: Logger.Level {
        get { .debug }
        set { upstream.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { upstream.metadata }
        set { upstream.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { upstream[metadataKey: key] }
        set { upstream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level >= upstream.logLevel { upstream.log(event: event) }
        guard case .string(let cm)? = upstream[metadataKey: "cm"] ?? event.metadata?["cm"],
              journal.isPolling(cm: cm) else { return }
        journal.append(cm: cm, line: Self.line(event, metadata: upstream.metadata))
    }

    /// The logfmt line the journal keeps, in the same shape as ``LineLogHandler``'s.
    private static func line(_ event: LogEvent, metadata: Logger.Metadata) -> String {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        return LineLogHandler.line(format: .logfmt, level: event.level, message: "\(event.message)",
                                   fields: fields)
    }
}
