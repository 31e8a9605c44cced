import CCKMSimulator
import JobMetrics

/// Every job metric of one listing against the simulator's ground truth: what differs, as
/// lines a failure message can show (empty: all equal). Times and duration sums are compared
/// within 10 µs per job (the API writes microseconds).
enum LivingCMComparison {
    static func differences(_ metrics: ListingMetrics, _ truth: SimulatorTruth) -> [String] {
        var found: [String] = []
        func note<Value: Equatable>(_ what: String, _ held: Value, _ expected: Value) {
            if held != expected { found.append("\(what): exporter \(held), simulator \(expected)") }
        }
        let held = Dictionary(uniqueKeysWithValues: metrics.jobsByStatus.map { ($0.status, Int($0.count)) })
        // Sorted text, so that a replayed failure prints the same message.
        func sorted(_ counts: [String: Int]) -> String {
            counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
        }
        note("cckm_sync_jobs", sorted(held), sorted(truth.jobsByStatus))
        let statuses = Set(metrics.finished.map(\.status)).union(truth.finished.keys)
        for status in statuses.sorted() {
            let histogram = metrics.finished.first { $0.status == status }?.histogram
            let expected = truth.finished[status] ?? SimulatorTruth.FinishedJobs()
            note(
                "cckm_sync_jobs_finished_total{status=\"\(status)\"}", Int(histogram?.count ?? 0),
                expected.count)
            let sum = histogram?.sum ?? 0
            if abs(sum - expected.durationSum) > 1e-5 * Double(max(1, expected.count)) {
                found.append(
                    "cckm_sync_job_duration_seconds_sum{status=\"\(status)\"}: exporter \(sum), simulator \(expected.durationSum)"
                )
            }
        }
        note("cckm_sync_jobs_cancelled_total", Int(metrics.cancelled), truth.cancelled)
        let lastFinished = Dictionary(
            uniqueKeysWithValues: metrics.lastFinished.map { ($0.status, $0.seconds) })
        for status in Set(lastFinished.keys).union(truth.lastFinished.keys).sorted() {
            close(
                "cckm_sync_last_finished_timestamp_seconds{status=\"\(status)\"}", lastFinished[status],
                truth.lastFinished[status], &found)
        }
        close(
            "cckm_sync_last_cancelled_timestamp_seconds", metrics.lastCancelled, truth.lastCancelled, &found)
        let regions = Set(truth.scopesInProgress.map(RegionInProgress.init(scope:))).sorted()
        note("cckm_sync_region_in_progress", metrics.regionsInProgress, regions)
        note("cckm_sync_regions_in_progress", metrics.regionsInProgressCount, regions.count)
        close(
            "cckm_sync_oldest_running_job_start_timestamp_seconds", metrics.oldestRunningJobStart,
            truth.oldestRunningJobStart, &found)
        note(
            "cckm_sync_latest_job_status", metrics.latestJobStatus ?? "none", truth.latestJobStatus ?? "none")
        return found
    }

    private static func close(_ what: String, _ held: Double?, _ expected: Double?, _ found: inout [String]) {
        switch (held, expected) {
        case (nil, nil): return
        case (let held?, let expected?) where abs(held - expected) <= 1e-5: return
        default:
            found.append(
                "\(what): exporter \(held.map { "\($0)" } ?? "none"), simulator \(expected.map { "\($0)" } ?? "none")"
            )
        }
    }

    /// The counters of `metrics` that must never go down: finished per status (count and sum)
    /// and cancelled.
    static func counters(_ metrics: ListingMetrics) -> [String: Double] {
        var counters = ["cancelled": Double(metrics.cancelled)]
        for finished in metrics.finished {
            counters["finished \(finished.status)"] = Double(finished.histogram.count)
            counters["duration sum \(finished.status)"] = finished.histogram.sum
        }
        return counters
    }
}
