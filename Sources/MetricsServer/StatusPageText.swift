/// Renders `/debug`: the status page's data as plain text, one block per listing, for `curl`
/// and for pasting into a ticket. `?cm=NAME` and `&cloud=CLOUD` narrow it to one CM or one
/// listing. Served as `text/plain` with `nosniff`, so nothing in it is ever interpreted.
enum StatusPageText {
    static func render(_ listings: [ListingStatus], now: Double) -> String {
        listings.map { block($0, now: now) }.joined(separator: "\n")
    }

    private static func block(_ listing: ListingStatus, now: Double) -> String {
        let metrics = listing.metrics
        var out = "# cm=\(listing.key.cm) cloud=\(listing.key.cloud) state=\(listing.stateName)\n"
        out += "last_poll_end: \(StatusPageFormat.whenAgo(listing.lastPollEnd, now: now))\n"
        out +=
            "last_poll_duration: \(listing.health.lastPollDurationSeconds.map(StatusPageFormat.duration) ?? "–")\n"
        out += "last_success: \(StatusPageFormat.whenAgo(listing.health.lastSuccessTimestamp, now: now))\n"
        if let error = listing.lastError { out += "error: \(error)\n" }
        if let walk = listing.health.walk {
            out += "walk: \(StatusPageFormat.walkProgress(walk, now: now))\n"
        }
        if let note = listing.health.orderNote { out += "listing_order: \(note)\n" }
        out +=
            "jobs_by_status: \(metrics.jobsByStatus.map { "\($0.status)=\($0.count)" }.joined(separator: " "))\n"
        let errors = listing.health.errorsTotal.sorted { $0.key.rawValue < $1.key.rawValue }
        out +=
            "poll_errors_total: \(errors.isEmpty ? "none" : errors.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))\n"
        out += "running_jobs: \(metrics.runningJobs.count)\n"
        for job in metrics.runningJobs {
            let regions = job.regionsInProgress.map {
                $0.cloudAccount.isEmpty ? $0.cloudRegion : "\($0.cloudAccount)/\($0.cloudRegion)"
            }
            out +=
                "  id=\(job.id) started=\(StatusPageFormat.utc(job.createdAt)) "
                + "age=\(StatusPageFormat.age(now - job.createdAt)) regions_in_progress=\(regions.joined(separator: ","))\n"
        }
        out += "recent_failed_jobs: \(metrics.recentFailures.count)\n"
        for job in metrics.recentFailures {
            out +=
                "  id=\(job.id) status=\(job.status)\(job.cancelled ? " cancelled" : "") finished=\(StatusPageFormat.utc(job.completedAt))\n"
            for scope in job.detailedStatus { out += "    \(scope.scope): \(scope.text)\n" }
        }
        out += "recent_polls: \(listing.recentPolls.count) (newest first)\n"
        for poll in listing.recentPolls {
            let duration = poll.durationSeconds.map(StatusPageFormat.duration) ?? "–"
            out +=
                "  start=\(StatusPageFormat.utc(poll.start)) duration=\(duration) result=\(poll.outcomeText)\n"
            for line in poll.lines { out += "    \(line)\n" }
            if poll.droppedLines > 0 { out += "    … \(poll.droppedLines) more lines not kept\n" }
        }
        return out
    }
}
