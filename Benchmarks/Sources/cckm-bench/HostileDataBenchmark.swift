import CCKMClient
import CMWire
import Foundation
import JobMetrics
import MetricsExposition

/// What a hostile CM's data costs the exporter's domain, with the default limits: one case per
/// process (`--hostile CASE`), so each peak RSS (VmHWM) is its own. Jobs are built in memory
/// and fed page by page into a ``ListingBuild`` as a complete walk would, then applied and
/// rendered, so the figure covers the walk, the swap and `/metrics`.
enum HostileDataBenchmark {
    static let cases = ["statuses-50k", "regions-50k", "jobs-1m", "history-100k"]

    static func run(_ name: String) {
        let limits = ListingLimits()
        var build = ListingBuild(limits: limits)
        let pageSize = 500
        var page: [SyncJob] = []
        func flush() {
            for job in page { build.add(job, key: JobKey(job.id)) }
            page.removeAll(keepingCapacity: true)
        }
        let start = ContinuousClock.now
        switch name {
        case "statuses-50k":
            for index in 0..<50_000 {
                page.append(job(index, status: "invented-status-\(index)"))
                if page.count == pageSize { flush() }
            }
        case "regions-50k":
            let scopes = (0..<50_000).map {
                SyncJob.ScopeStatus(scope: "123456789012/invented-region-\($0)", text: "in_progress")
            }
            page.append(SyncJob(id: "running", status: "in_progress", createdAt: 1, detailedStatus: scopes))
        case "jobs-1m", "history-100k":
            // A total that lies, with fresh jobs on every page: the walk ends at the jobs limit.
            for index in 0..<(name == "jobs-1m" ? 5_000_000 : 100_000) {
                page.append(job(index, status: index % 10 == 0 ? "failed" : "completed"))
                if page.count == pageSize {
                    flush()
                    if build.reachedJobLimit { break }
                }
            }
        default:
            print("unknown case \(name); cases: \(cases.joined(separator: ", "))")
            exit(2)
        }
        flush()
        var aggregator = ListingAggregator(key: ListingKey(cm: "bench", cloud: "aws"), limits: limits)
        let reached = aggregator.apply(build)
        build = ListingBuild()
        let snapshot = MetricsSnapshot(
            listings: [aggregator.metrics], health: [PollHealth(key: aggregator.key)],
            build: BuildInfo(version: "bench", revision: "bench", swiftVersion: "6"))
        let body = ExpositionWriter.render(snapshot, format: .prometheusText)
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let series = body.split(separator: UInt8(ascii: "\n")).filter { $0.first != UInt8(ascii: "#") }.count
        print(
            "| \(name) | \(aggregator.knownJobs.count) | \(series) | \(body.count / 1024) KiB"
                + " | \(ProcStatus.bytes("VmHWM") >> 20) MiB | \(reached.map(\.rawValue).sorted().joined(separator: ", "))"
                + " | \(String(format: "%.1f s", seconds)) |")
    }

    private static func job(_ index: Int, status: String) -> SyncJob {
        SyncJob(
            id: String(format: "%08x-0000-4000-8000-%012x", index, index), status: status,
            createdAt: Double(index), completedAt: Double(index) + 60)
    }
}
