import ArgumentParser
import CCKMSimulator

/// The flags of a living CM (``LifeSettings``), a cluster (``ClusterBehaviour``), the page
/// shapes (``PageBehaviour``) and the status of an unknown job id.
struct LifeOptions: ParsableArguments {
    @Option(help: "Seconds between bursts of jobs (0: none).")
    var burstInterval = 0.0

    @Option(help: "Jobs each burst creates at once, per listing.")
    var burstSize = 0

    @Option(help: "Share of cancelled jobs that end completed with abort: true (0…1).")
    var cancelledCompletedShare = 0.0

    @Option(help: "Seconds between purges of the oldest finished jobs (0: none).")
    var purgeInterval = 0.0

    @Option(help: "Oldest finished jobs each purge removes, per listing.")
    var purgeCount = 0

    @Option(help: "Seconds between deletions of running jobs (0: none).")
    var deletionInterval = 0.0

    @Option(help: "Running jobs each deletion removes, per listing.")
    var deletionCount = 1

    @Option(help: "Share of listing pages answered with --server-error-status (0…1).")
    var serverErrorRate = 0.0

    @Option(help: "Status of those pages (5xx).")
    var serverErrorStatus = 503

    @Option(help: "Seconds between outages (0: none); POST /sim/outage starts one now.")
    var outageInterval = 0.0

    @Option(help: "How long each outage lasts, seconds.")
    var outageSeconds = 0.0

    @Option(help: "Status of every sync-job request during an outage.")
    var outageStatus = 503

    @Option(
        help: "Status of GET …/{id} for an id CM does not have: 404, or 500 as a real CM was seen answering.")
    var unknownJobStatus = 404

    @Option(help: "CM nodes behind a round-robin balancer.")
    var clusterNodes = 1

    @Option(help: "How many of them lag (answer from their copy of --lag-seconds ago).")
    var laggingNodes = 0

    @Option(help: "How far behind a lagging node is, seconds.")
    var lagSeconds = 0.0

    @Option(help: "At most this many jobs per page, while the answer's limit says what was asked.")
    var silentPageCap: Int?

    @Option(
        help:
            "How a page without jobs is written: empty-array, null (\"resources\": null), absent (neither resources nor total)."
    )
    var emptyPages = PageBehaviour.EmptyPageShape.emptyArray.rawValue

    func apply(to configuration: inout SimulatorConfiguration) throws {
        configuration.life = LifeSettings(
            burstIntervalSeconds: burstInterval, burstSize: burstSize,
            cancelledCompletedShare: cancelledCompletedShare, purgeIntervalSeconds: purgeInterval,
            purgeCount: purgeCount, deletionIntervalSeconds: deletionInterval, deletionCount: deletionCount,
            serverErrorRate: serverErrorRate, serverErrorStatus: serverErrorStatus,
            outageIntervalSeconds: outageInterval, outageSeconds: outageSeconds, outageStatus: outageStatus)
        configuration.behaviour.unknownJobStatus = unknownJobStatus
        configuration.behaviour.cluster = ClusterBehaviour(
            nodes: clusterNodes, laggingNodes: laggingNodes, lagSeconds: lagSeconds)
        guard let shape = PageBehaviour.EmptyPageShape(rawValue: emptyPages) else {
            throw ValidationError("--empty-pages: empty-array, null or absent, got \"\(emptyPages)\"")
        }
        configuration.behaviour.pages = PageBehaviour(silentCap: silentPageCap, emptyPage: shape)
    }
}
