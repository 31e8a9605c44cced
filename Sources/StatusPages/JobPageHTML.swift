import JobMetrics

/// The job page at `/job?id=…`: what the exporter holds about one job, in the status page's
/// style (plain HTML, every value escaped). Not ``RenderedPage/found`` when no listing holds
/// the id (the page then says so).
public enum JobPageHTML {
    /// The page of job `id` as `page`'s listings hold it, at `now` (seconds since the epoch).
    public static func render(_ page: StatusPage, id: String, now: Double) -> RenderedPage {
        let views = JobView.find(id, in: page)
        let body = views.isEmpty ? notHeld(id) : views.map { section($0, now: now) }.joined()
        let html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>job \(e(id)) · cckm_exporter</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(StatusPageHTML.style)</style></head><body>
            <header><h1>Synchronization job <code>\(e(id))</code></h1>
            <p>as cckm_exporter \(e(page.version)) holds it · page rendered \(StatusPageFormat.utc(now))</p>
            <nav><a href="/">Status page</a></nav></header>
            \(body)</body></html>

            """
        return RenderedPage(found: !views.isEmpty, text: html)
    }

    private static func e(_ text: String) -> String { StatusPageFormat.escape(text) }

    private static func notHeld(_ id: String) -> String {
        """
        <p class="muted">No listing holds job <code>\(e(id))</code> now: the exporter keeps running jobs, \
        the last listing's recent failures and cancellations, and the newest job of each status. \
        Look it up in CipherTrust Manager.</p>

        """
    }

    private static func section(_ view: JobView, now: Double) -> String {
        var rows = [("CM", e(view.key.cm)), ("Cloud", e(view.key.cloud))]
        var details = ""
        switch view.state {
        case .running(let createdAt, let regions):
            rows += [
                ("Status", "<span class=\"badge pending\">in_progress</span>"),
                (
                    "Started",
                    "\(StatusPageFormat.utc(createdAt)) (\(StatusPageFormat.age(now - createdAt)) ago)"
                ),
                (
                    "Regions in progress",
                    regions.isEmpty ? "–" : regions.map(regionText).joined(separator: "<br>")
                ),
            ]
        case .finished(let status, let completedAt, let duration, let detailedStatus, let cancelled):
            let badge = status == "completed" && !cancelled ? "up" : "down"
            rows += [
                (
                    "Status",
                    "<span class=\"badge \(badge)\">\(e(status))</span>"
                        + (cancelled ? " <span class=\"badge cancelled\">cancelled</span>" : "")
                ),
                ("Finished", StatusPageFormat.whenAgo(completedAt, now: now)),
                ("Duration", duration.map { StatusPageFormat.age($0) } ?? "–"),
            ]
            if !detailedStatus.isEmpty {
                let items = detailedStatus.map { "<li><code>\(e($0.scope))</code>: \(e($0.text))</li>" }
                details = "<h3>detailed_status</h3>\n<ul>\(items.joined())</ul>\n"
            }
        }
        let table = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        return """
            <section>
            <h2>\(e(view.key.cm)) · \(e(view.key.cloud))</h2>
            <table class="facts">
            \(table)
            </table>
            \(details)</section>

            """
    }

    private static func regionText(_ region: RegionInProgress) -> String {
        region.cloudAccount.isEmpty
            ? e(region.cloudRegion) : "\(e(region.cloudAccount))/\(e(region.cloudRegion))"
    }
}
