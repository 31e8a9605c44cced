import Foundation
import LineLogging
import Logging

/// A log handler in front of a poller's own: every event goes to the upstream handler when its
/// level is enabled there, and, at any level including debug, into the ``PollJournal`` poll the
/// CM has open, so the status page shows a poll's debug lines while stderr stays at `info`.
struct JournalLogHandler: LogHandler {
    private var upstream: any LogHandler
    private let journal: PollJournal
    private let cm: String

    init(upstream: any LogHandler, journal: PollJournal, cm: String) {
        self.upstream = upstream
        self.journal = journal
        self.cm = cm
        self.metadata = upstream.metadata
        self.metadata["cm"] = .string(cm)
    }

    /// Wraps `logger`'s handler for the poller of `cm`: the result logs like `logger` with a
    /// `cm` key, and feeds the CM's open poll in `journal`.
    static func wrapping(_ logger: Logger, journal: PollJournal, cm: String) -> Logger {
        let handler = JournalLogHandler(upstream: logger.handler, journal: journal, cm: cm)
        return Logger(label: logger.label, factory: { _ in handler })
    }

    /// Always debug: the journal wants every line; ``log(event:)`` filters for upstream.
    var logLevel: Logger.Level {
        get { .debug }
        set { upstream.logLevel = newValue }
    }

    /// Kept here as well as upstream: an upstream such as swift-log's no-op handler keeps none,
    /// and the journal needs `cm` to find the poll.
    var metadata: Logger.Metadata {
        didSet { upstream.metadata = metadata }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level >= upstream.logLevel { upstream.log(event: event) }
        guard journal.isPolling(cm: cm) else { return }
        journal.append(cm: cm, line: Self.line(event, metadata: metadata))
    }

    /// The logfmt line the journal keeps, in the same shape as ``LineLogHandler``'s.
    private static func line(_ event: LogEvent, metadata: Logger.Metadata) -> String {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        return LineLogHandler.line(
            format: .logfmt, level: event.level, message: "\(event.message)",
            fields: fields)
    }
}
