import JobMetrics

extension StatusPageFormat {
    /// A catch-up's progress: `12 pages, 1150 new jobs read, about 4850 to go, for 3s, 1 failed
    /// page retried`.
    static func catchUpProgress(_ catchUp: CatchUpProgress, now: Double) -> String {
        var text = "\(catchUp.pages) pages, \(catchUp.jobs) new jobs read, about \(catchUp.backlog) to go"
        text += ", for \(age(now - catchUp.startedAt))"
        if catchUp.failedPages > 0 {
            text += ", \(catchUp.failedPages) failed page\(catchUp.failedPages == 1 ? "" : "s") retried"
        }
        return text
    }
}
