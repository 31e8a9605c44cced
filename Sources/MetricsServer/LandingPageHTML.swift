import Foundation

/// Renders the landing page: plain HTML and inline CSS, no scripts, every value escaped.
enum LandingPageHTML {
    static func render(_ page: LandingPage, telemetryPath: String, now: Double) -> String {
        var rows = ""
        for line in page.listings {
            let state = line.lastPollEnd == nil ? "pending" : (line.up ? "up" : "down")
            let age = line.lastPollEnd.map { "\(Int(max(0, now - $0)))s ago" } ?? "–"
            let duration = line.lastPollDurationSeconds.map { String(format: "%.3fs", $0) } ?? "–"
            rows += """
                <tr><td>\(escape(line.cm))</td><td>\(escape(line.cloud))</td>\
                <td class="\(state)">\(state)</td><td>\(age)</td><td>\(duration)</td>\
                <td>\(line.runningJobs)</td><td>\(line.regionsInProgress)</td>\
                <td>\(escape(line.error ?? ""))</td></tr>

                """
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>cckm_exporter</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
            .up{color:#170}.down{color:#b00;font-weight:bold}.pending{color:#777}
            </style></head><body>
            <h1>cckm_exporter</h1>
            <p>Prometheus exporter for CipherTrust Manager CCKM synchronization jobs, version \(escape(page.version)).</p>
            <p><a href="\(escape(telemetryPath))">Metrics</a> · <a href="/-/healthy">Health</a> · <a href="/-/ready">Readiness</a></p>
            <h2>Listings</h2>
            <table><thead><tr><th>CM</th><th>Cloud</th><th>Last poll</th><th>When</th><th>Duration</th>\
            <th>Running jobs</th><th>Regions in progress</th><th>Error</th></tr></thead><tbody>
            \(rows)</tbody></table>
            </body></html>

            """
    }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
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
}
