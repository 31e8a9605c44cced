import JobMetrics
import TextFormats

/// Renders the status page at `/`: plain HTML and inline CSS, no scripts, no external assets,
/// every value escaped (control characters spelled out, secrets scrubbed). A summary table on
/// top, then one section per CM and cloud with the last poll, running jobs, failed jobs and the
/// recent polls with their log lines (`<details>` folds them without JavaScript). Long lists
/// are cut to the bounds of ``StatusPageFormat`` and say how many were left out.
public enum StatusPageHTML {
    /// The page at `/`; `telemetryPath` is where its Metrics link points.
    public static func render(_ page: StatusPage, telemetryPath: String, now: Double) -> String {
        let sections = page.listings.enumerated().map { section($1, index: $0, now: now) }.joined()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>cckm_exporter</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style></head><body>
            <header><h1>cckm_exporter</h1>
            <p>Prometheus exporter for CipherTrust Manager CCKM synchronization jobs · version \
            \(e(page.version)) · up \(StatusPageFormat.age(now - page.startTime)) · page rendered \
            \(StatusPageFormat.utc(now))</p>
            <nav><a href="\(e(telemetryPath))">Metrics</a> <a href="/-/healthy">Health</a> \
            <a href="/-/ready">Readiness</a> <a href="/debug">Debug (text)</a></nav>\(shardLine(page.shard))</header>
            \(summary(page.listings, now: now, sharded: page.shard != nil))
            \(sections)</body></html>

            """
    }

    private static func e(_ text: String) -> String { StatusPageFormat.escape(text) }

    /// The id, linked to its job page.
    private static func jobLink(_ id: String) -> String {
        "<a href=\"/job?id=\(e(PercentEncoding.escape(id)))\"><code>\(e(id))</code></a>"
    }

    /// Which shard this is and what it polls; nothing when unsharded.
    private static func shardLine(_ shard: ShardMetrics?) -> String {
        shard.map { "\n<p class=\"shard\">\(e($0.summary))</p>" } ?? ""
    }

    private static func summary(_ listings: [ListingStatus], now: Double, sharded: Bool) -> String {
        guard !listings.isEmpty else {
            return sharded ? "" : "<p class=\"muted\">No listing configured.</p>\n"
        }
        var rows = ""
        for (index, listing) in listings.enumerated() {
            let duration = listing.health.lastPollDurationSeconds.map(StatusPageFormat.duration) ?? "–"
            let lastPoll = listing.lastPollEnd.map { "\(StatusPageFormat.age(now - $0)) ago" } ?? "–"
            rows += """
                <tr><td>\(e(listing.key.cm))</td><td>\(e(listing.key.cloud))</td>\
                <td><span class="badge \(listing.stateName)">\(listing.stateName)</span></td>\
                <td>\(lastPoll)</td><td class="num">\(duration)</td>\
                <td class="num">\(listing.metrics.runningJobs.count)</td>\
                <td class="num">\(listing.metrics.regionsInProgressCount)</td>\
                <td class="num">\(listing.metrics.recentFailures.count)</td>\
                <td class="err">\(e(listing.lastError ?? ""))</td>\
                <td><a href="#listing-\(index)">details</a></td></tr>

                """
        }
        return """
            <h2>Listings</h2>
            <table class="summary"><thead><tr><th>CM</th><th>Cloud</th><th>State</th><th>Last poll</th>\
            <th>Duration</th><th>Running jobs</th><th>Regions in progress</th><th>Failed jobs</th>\
            <th>Error</th><th></th></tr></thead><tbody>
            \(rows)</tbody></table>

            """
    }

    private static func section(_ listing: ListingStatus, index: Int, now: Double) -> String {
        let debug = StatusPageFormat.debugLink(cm: listing.key.cm, cloud: listing.key.cloud)
        return """
            <section id="listing-\(index)">
            <h2>\(e(listing.key.cm)) · \(e(listing.key.cloud)) \
            <span class="badge \(listing.stateName)">\(listing.stateName)</span></h2>
            \(lastPoll(listing, now: now))
            <p class="links"><a href="\(e(debug))">raw debug output (text)</a></p>
            <h3>Running jobs (\(listing.metrics.runningJobs.count))</h3>
            \(runningJobs(listing.metrics.runningJobs, now: now))
            <h3>Recent failed, aborted or cancelled jobs (\(listing.metrics.recentFailures.count))</h3>
            \(failures(listing.metrics.recentFailures, now: now))
            <h3>Recent polls</h3>
            \(recentPolls(listing.recentPolls, now: now))
            </section>

            """
    }

    private static func lastPoll(_ listing: ListingStatus, now: Double) -> String {
        let statuses = listing.metrics.jobsByStatus
        var counts = statuses.prefix(StatusPageFormat.statusesShown).map { "\(e($0.status)) \($0.count)" }
        if let more = StatusPageFormat.more(statuses.count - counts.count, "statuses") { counts.append(more) }
        let errors = listing.health.errorsTotal.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }
        var rows = [
            ("Last poll ended", StatusPageFormat.whenAgo(listing.lastPollEnd, now: now)),
            ("Duration", listing.health.lastPollDurationSeconds.map(StatusPageFormat.duration) ?? "–"),
            ("Last success", StatusPageFormat.whenAgo(listing.health.lastSuccessTimestamp, now: now)),
            ("Jobs in last listing", counts.isEmpty ? "–" : counts.joined(separator: " · ")),
            ("Failed polls since start", errors.isEmpty ? "none" : errors.joined(separator: " · ")),
        ]
        if let error = listing.lastError {
            rows.insert(("Error", "<span class=\"err\">\(e(error))</span>"), at: 1)
        }
        if let walk = listing.health.walk {
            rows.append(("Complete walk under way", e(StatusPageFormat.walkProgress(walk, now: now))))
        }
        if let catchUp = listing.health.catchUp {
            rows.append(
                ("Catching up (metrics behind)", e(StatusPageFormat.catchUpProgress(catchUp, now: now))))
        }
        if let note = listing.health.orderNote { rows.append(("Listing order", e(note))) }
        if let note = listing.health.consistencyNote { rows.append(("Totals mismatch", e(note))) }
        let body = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        return "<table class=\"facts\">\n\(body)\n</table>"
    }

    private static func runningJobs(_ jobs: [RunningJob], now: Double) -> String {
        guard !jobs.isEmpty else { return "<p class=\"muted\">No job running.</p>" }
        let rows = jobs.prefix(StatusPageFormat.runningJobsShown).map { job in
            var regions = job.regionsInProgress.prefix(StatusPageFormat.regionsShown).map { region in
                region.cloudAccount.isEmpty
                    ? e(region.cloudRegion) : "\(e(region.cloudAccount))/\(e(region.cloudRegion))"
            }
            if let more = StatusPageFormat.more(job.regionsInProgress.count - regions.count, "regions") {
                regions.append(more)
            }
            return """
                <tr><td>\(jobLink(job.id))</td><td>\(StatusPageFormat.utc(job.createdAt))</td>\
                <td class="num">\(StatusPageFormat.age(now - job.createdAt))</td>\
                <td>\(regions.isEmpty ? "–" : regions.joined(separator: "<br>"))</td></tr>
                """
        }
        let more = StatusPageFormat.more(jobs.count - rows.count, "running jobs (oldest first above)")
        return """
            <table><thead><tr><th>Job</th><th>Started</th><th>Age</th><th>Regions in progress</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            """ + (more.map { "\n<p class=\"muted\">\($0)</p>" } ?? "")
    }

    private static func failures(_ jobs: [FailedJobSummary], now: Double) -> String {
        guard !jobs.isEmpty else {
            return "<p class=\"muted\">No failed, aborted or cancelled job in the last listing.</p>"
        }
        let rows = jobs.map { job in
            let shown = job.detailedStatus.prefix(StatusPageFormat.scopesShown)
            var details = shown.map { "<li><code>\(e($0.scope))</code>: \(e($0.text))</li>" }
            if let more = StatusPageFormat.more(job.detailedStatus.count - shown.count, "scopes") {
                details.append("<li>\(more)</li>")
            }
            return """
                <tr><td>\(jobLink(job.id))</td><td><span class="badge down">\(e(job.status))</span>\
                \(job.cancelled ? " <span class=\"badge cancelled\">cancelled</span>" : "")</td>\
                <td>\(StatusPageFormat.whenAgo(job.completedAt, now: now))</td>\
                <td>\(details.isEmpty ? "–" : "<ul>\(details.joined())</ul>")</td></tr>
                """
        }
        return """
            <table><thead><tr><th>Job</th><th>Status</th><th>Finished</th><th>detailed_status</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            """
    }

    private static func recentPolls(_ polls: [PollRecord], now: Double) -> String {
        guard !polls.isEmpty else { return "<p class=\"muted\">No poll yet.</p>" }
        let rows = polls.enumerated().map { index, poll in
            // The newest poll's lines, and a failed poll's, are what one opens the page for.
            let open = index == 0 || poll.outcome != .succeeded ? " open" : ""
            var result = "<span class=\"badge \(badge(poll.outcome))\">\(e(poll.outcomeText))</span>"
            if case .failed(_, let message) = poll.outcome {
                result += " <span class=\"err\">\(e(message))</span>"
            }
            var log = poll.lines.map(StatusPageFormat.escapeLogLine).joined(separator: "\n")
            if poll.droppedLines > 0 { log += "\n… \(poll.droppedLines) more lines not kept" }
            let lines = poll.lines.count + poll.droppedLines
            return """
                <tr><td>\(StatusPageFormat.whenAgo(poll.start, now: now))</td>\
                <td class="num">\(poll.durationSeconds.map(StatusPageFormat.duration) ?? "–")</td>\
                <td>\(result)</td><td><details\(open)><summary>\(lines) log line\(lines == 1 ? "" : "s")</summary>\
                <pre>\(log)</pre></details></td></tr>
                """
        }
        return """
            <table class="polls"><thead><tr><th>Started</th><th>Duration</th><th>Result</th><th>Log</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            """
    }

    private static func badge(_ outcome: PollRecord.Outcome) -> String {
        switch outcome {
        case .running: "pending"
        case .succeeded: "up"
        case .failed: "down"
        }
    }

    /// The page's CSS, shared with the job page.
    static let style = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9;font-size:14px}
        header{background:#1d2330;color:#fff;padding:1em 2em}header h1{margin:0 0 .2em;font-size:1.5em}
        header p{margin:.2em 0;color:#c9d1e0}nav a{color:#9cc3ff;margin-right:1.2em}
        h2,h3,table,p.muted,p.links,.summary{margin-left:2rem;margin-right:2rem}
        h2{margin-top:1.4em;font-size:1.2em}h3{font-size:1em;margin-bottom:.3em;color:#444}
        section{background:#fff;border-top:1px solid #dde1e7;padding-bottom:1em;margin-top:1.5em}
        table{border-collapse:collapse;background:#fff;margin-bottom:.5em}
        td,th{border:1px solid #dde1e7;padding:.3em .6em;text-align:left;vertical-align:top}
        thead th{background:#eef1f5}table.facts th{background:#f6f7f9;font-weight:600;width:13em}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:0 .5em;border-radius:.7em;font-size:.85em;font-weight:600}
        .up{background:#dff3e4;color:#17612c}.down{background:#fbe1e1;color:#a01616}
        .pending{background:#eceff3;color:#555}.cancelled{background:#fff1d6;color:#7a4b00}
        .err{color:#a01616}.muted{color:#777}
        ul{margin:0;padding-left:1.2em}code,pre{font-family:ui-monospace,monospace;font-size:.9em}
        pre{white-space:pre-wrap;word-break:break-all;margin:.3em 0;max-width:90em}
        summary{cursor:pointer;color:#1f5fbf}
        """
}
