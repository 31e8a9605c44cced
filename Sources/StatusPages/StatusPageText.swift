import JobMetrics

/// Renders `/debug`: the status page's data as plain text, one block per listing, for `curl`
/// and for pasting into a ticket. `?cm=NAME` and `&cloud=CLOUD` narrow it to one CM or one
/// listing. Served as `text/plain` with `nosniff`, so nothing in it is ever interpreted; every
/// text from CM goes through ``StatusPageFormat/plain(_:)`` (no control character reaches the
/// terminal of whoever runs `curl /debug`), and long lists are cut as on the HTML page.
public enum StatusPageText {
    /// `/debug`: every listing of `page`, or those of CM `cm` (and cloud `cloud`); not
    /// ``RenderedPage/found`` when they name none.
    public static func debugPage(_ page: StatusPage, cm: String?, cloud: String?, now: Double) -> RenderedPage
    {
        let listings = page.listings.filter { listing in
            (cm == nil || listing.key.cm == cm) && (cloud == nil || listing.key.cloud == cloud)
        }
        if listings.isEmpty && (cm != nil || cloud != nil) {
            let asked = "cm=\(cm ?? "*") cloud=\(cloud ?? "*")"
            return RenderedPage(found: false, text: "No listing with \(StatusPageFormat.plain(asked))\n")
        }
        let shard = page.shard.map { "\($0.summary)\n" } ?? ""
        let header =
            "cckm_exporter \(StatusPageFormat.plain(page.version)): status of \(listings.count) listing(s)\n\(shard)\n"
        return RenderedPage(found: true, text: header + render(listings, now: now))
    }

    static func render(_ listings: [ListingStatus], now: Double) -> String {
        listings.map { block($0, now: now) }.joined(separator: "\n")
    }

    private static func p(_ text: String) -> String { StatusPageFormat.plain(text) }

    private static func block(_ listing: ListingStatus, now: Double) -> String {
        let metrics = listing.metrics
        var out = "# cm=\(p(listing.key.cm)) cloud=\(p(listing.key.cloud)) state=\(listing.stateName)\n"
        out += "last_poll_end: \(StatusPageFormat.whenAgo(listing.lastPollEnd, now: now))\n"
        out +=
            "last_poll_duration: \(listing.health.lastPollDurationSeconds.map(StatusPageFormat.duration) ?? "–")\n"
        out += "last_success: \(StatusPageFormat.whenAgo(listing.health.lastSuccessTimestamp, now: now))\n"
        if let error = listing.lastError { out += "error: \(p(error))\n" }
        if let walk = listing.health.walk {
            out += "walk: \(StatusPageFormat.walkProgress(walk, now: now))\n"
        }
        if let catchUp = listing.health.catchUp {
            out += "catch_up: \(StatusPageFormat.catchUpProgress(catchUp, now: now))\n"
        }
        if let note = listing.health.orderNote { out += "listing_order: \(p(note))\n" }
        if let note = listing.health.consistencyNote { out += "totals_mismatch: \(p(note))\n" }
        var statuses = metrics.jobsByStatus.prefix(StatusPageFormat.statusesShown).map {
            "\(p($0.status))=\($0.count)"
        }
        if let more = StatusPageFormat.more(metrics.jobsByStatus.count - statuses.count, "statuses") {
            statuses.append(more)
        }
        out += "jobs_by_status: \(statuses.joined(separator: " "))\n"
        let errors = listing.health.errorsTotal.sorted { $0.key.rawValue < $1.key.rawValue }
        out +=
            "poll_errors_total: \(errors.isEmpty ? "none" : errors.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))\n"
        out += "running_jobs: \(metrics.runningJobs.count)\n"
        for job in metrics.runningJobs.prefix(StatusPageFormat.runningJobsShown) {
            var regions = job.regionsInProgress.prefix(StatusPageFormat.regionsShown).map {
                $0.cloudAccount.isEmpty ? p($0.cloudRegion) : "\(p($0.cloudAccount))/\(p($0.cloudRegion))"
            }
            if let more = StatusPageFormat.more(job.regionsInProgress.count - regions.count, "regions") {
                regions.append(more)
            }
            out +=
                "  id=\(p(job.id)) started=\(StatusPageFormat.utc(job.createdAt)) "
                + "age=\(StatusPageFormat.age(now - job.createdAt)) regions_in_progress=\(regions.joined(separator: ","))\n"
        }
        let hidden = metrics.runningJobs.count - StatusPageFormat.runningJobsShown
        if let more = StatusPageFormat.more(hidden, "running jobs (the oldest are listed)") {
            out += "  \(more)\n"
        }
        out += "recent_failed_jobs: \(metrics.recentFailures.count)\n"
        for job in metrics.recentFailures {
            out +=
                "  id=\(p(job.id)) status=\(p(job.status))\(job.cancelled ? " cancelled" : "") finished=\(StatusPageFormat.utc(job.completedAt))\n"
            for scope in job.detailedStatus.prefix(StatusPageFormat.scopesShown) {
                out += "    \(p(scope.scope)): \(p(scope.text))\n"
            }
            let left = job.detailedStatus.count - StatusPageFormat.scopesShown
            if let more = StatusPageFormat.more(left, "scopes") { out += "    \(more)\n" }
        }
        out += "recent_polls: \(listing.recentPolls.count) (newest first)\n"
        for poll in listing.recentPolls {
            let duration = poll.durationSeconds.map(StatusPageFormat.duration) ?? "–"
            out +=
                "  start=\(StatusPageFormat.utc(poll.start)) duration=\(duration) result=\(poll.outcomeText)\n"
            for line in poll.lines { out += "    \(StatusPageFormat.logLine(line))\n" }
            if poll.droppedLines > 0 { out += "    … \(poll.droppedLines) more lines not kept\n" }
        }
        return out
    }
}
