import Foundation
import Logging
import TextFormats
import TextSafety

/// Log line formats of `--log.format`.
public enum LogFormat: String, CaseIterable, Sendable {
    /// `ts=2026-11-29T02:00:00.000Z level=info msg="…" cm=prod cloud=aws`
    case logfmt
    /// `{"ts":"…","level":"info","msg":"…","cm":"prod","cloud":"aws"}`
    case json
}

/// A swift-log handler writing one line per event: `ts`, `level`, `msg`, then `cm`, `cloud`
/// and the other metadata keys sorted. Lines go to `sink` (stderr by default).
///
/// Values often quote CM (job ids, statuses, error messages), so every value is scrubbed of
/// the secrets in ``SecretRegistry/shared`` and every control character is escaped (see
/// ``VisibleText``): a line stays one line and carries no terminal escape.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let format: LogFormat
    private let sink: @Sendable (String) -> Void

    public init(
        format: LogFormat, level: Logger.Level,
        sink: @escaping @Sendable (String) -> Void = LineLogHandler.standardError
    ) {
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        sink(Self.line(format: format, level: event.level, message: "\(event.message)", fields: fields))
    }

    /// One formatted line: `ts`, `level`, `msg`, then `cm`, `cloud`, then the other keys sorted
    /// (also used by the status page's poll journal).
    package static func line(format: LogFormat, level: Logger.Level, message: String, fields: Logger.Metadata)
        -> String
    {
        let scrubber = SecretRegistry.shared.scrubber
        let ordered = orderedKeys(Array(fields.keys)).map { ($0, scrubber.scrub("\(fields[$0] ?? "")")) }
        let head = [("ts", timestamp()), ("level", name(level)), ("msg", scrubber.scrub(message))]
        return format == .json ? json(head + ordered) : logfmt(head + ordered)
    }

    private static func orderedKeys(_ keys: [String]) -> [String] {
        let first = ["cm", "cloud"].filter { keys.contains($0) }
        return first + keys.filter { !first.contains($0) }.sorted()
    }

    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "debug"
        case .info, .notice: return "info"
        case .warning: return "warn"
        case .error, .critical: return "error"
        }
    }

    /// RFC 3339 UTC with milliseconds, like Prometheus's own logs.
    static func timestamp(_ date: Date = Date()) -> String {
        UTCTimestamp.string(date.timeIntervalSince1970, precision: .milliseconds)
    }

    static func logfmt(_ pairs: [(String, String)]) -> String {
        pairs.map { key, value in "\(key)=\(logfmtValue(value))" }.joined(separator: " ")
    }

    /// Quoted when it holds a space, `=`, a quote, a backslash or a control character; inside
    /// the quotes `\n`, `\r`, `\t` and `\u001b`, as go-logfmt writes them (which is how JSON
    /// writes them too).
    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || VisibleText.needsEscape($0)
            }
        return needsQuotes ? jsonString(value) : value
    }

    static func json(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}"
    }

    /// A JSON string with every scalar ``VisibleText`` spells out escaped as well.
    private static func jsonString(_ value: String) -> String {
        JSONString.quoted(value, alsoEscaping: VisibleText.needsEscape)
    }

    /// Writes a line to standard error in one write(2), so lines from threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
