import Foundation
import JobMetrics
import TextFormats
import TextSafety

/// Text helpers shared by the HTML status page and the plain-text debug page: escaping,
/// bounds, UTC times (`UTCTimestamp`), ages and durations. Pure functions, so the pages render
/// the same in tests.
enum StatusPageFormat {
    /// Running jobs listed per listing (the oldest); the others are only counted, so 50,000
    /// running jobs make a page of kilobytes, not megabytes.
    static let runningJobsShown = 100
    /// `detailed_status` scopes listed per failed job.
    static let scopesShown = 20
    /// Regions listed per running job.
    static let regionsShown = 20
    /// Statuses listed in a listing's job counts.
    static let statusesShown = 50
    /// Longest text quoted from CM (a `detailed_status` message, a job id), in characters.
    static let textShown = 1000

    /// What the page shows of a text that may come from CM: secrets scrubbed, control
    /// characters spelled out (`\u001b`), cut to ``textShown`` characters.
    static func plain(_ text: String) -> String {
        let shown = VisibleText.shown(text)
        return shown.count > textShown ? String(shown.prefix(textShown)) + "…" : shown
    }

    /// A journal line: already scrubbed when it was logged (``LineLogHandler`` does), so only
    /// spelled out and cut, which keeps a page of many listings' journals cheap to render.
    static func logLine(_ line: String) -> String {
        let shown = VisibleText.escaped(line)
        return shown.count > textShown ? String(shown.prefix(textShown)) + "…" : shown
    }

    /// `… and 49900 more running jobs`, or nil when nothing was left out.
    static func more(_ left: Int, _ noun: String) -> String? {
        left > 0 ? "… and \(left) more \(noun)" : nil
    }

    /// Escapes text for HTML element content and attribute values (after ``plain(_:)``).
    static func escape(_ text: String) -> String { html(plain(text)) }

    /// A journal line (``logLine(_:)``) escaped for HTML.
    static func escapeLogLine(_ line: String) -> String { html(logLine(line)) }

    private static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `2026-11-29 02:00:00Z`.
    static func utc(_ seconds: Double) -> String {
        UTCTimestamp.string(seconds, precision: .seconds, separator: .space)
    }

    /// A span in its two largest units: `42s`, `3m 12s`, `2h 05m`, `3d 04h`.
    static func age(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded(.down))
        let (days, hours, minutes, secs) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return String(format: "%dd %02dh", days, hours) }
        if hours > 0 { return String(format: "%dh %02dm", hours, minutes) }
        if minutes > 0 { return String(format: "%dm %02ds", minutes, secs) }
        return "\(secs)s"
    }

    /// `0.123s`.
    static func duration(_ seconds: Double) -> String { String(format: "%.3fs", seconds) }

    /// `2026-11-29 02:00:00Z (12s ago)`, or `–`.
    static func whenAgo(_ seconds: Double?, now: Double) -> String {
        guard let seconds else { return "–" }
        return "\(utc(seconds)) (\(age(now - seconds)) ago)"
    }

    /// The `/debug` link of one listing (not yet HTML-escaped).
    static func debugLink(cm: String, cloud: String?) -> String {
        var link = "/debug?cm=\(PercentEncoding.escape(cm))"
        if let cloud { link += "&cloud=\(PercentEncoding.escape(cloud))" }
        return link
    }

    /// A complete walk's progress: `3 pages, 1500 of 100000 jobs (1%), for 12s, 1 failed page
    /// (first listing)`.
    static func walkProgress(_ walk: WalkProgress, now: Double) -> String {
        var text = "\(walk.pages) pages, \(walk.jobs)"
        if let total = walk.total, total > 0 {
            text += " of \(total) jobs (\(min(100, walk.jobs * 100 / total))%)"
        } else {
            text += " jobs"
        }
        text += ", for \(age(now - walk.startedAt))"
        if walk.failedPages > 0 {
            text += ", \(walk.failedPages) failed page\(walk.failedPages == 1 ? "" : "s") retried"
        }
        return text + " (\(walk.reason))"
    }
}
