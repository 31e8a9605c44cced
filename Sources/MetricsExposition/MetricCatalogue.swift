import JobMetrics

/// The type of a metric family, as its `# TYPE` line names it.
public enum MetricType: String, Sendable {
    case counter
    case gauge
    case histogram
}

/// One metric family of the contract: the name, HELP text, type and label names that the
/// exposition writer, the README's metric table and the dashboard tests all read from
/// ``MetricCatalogue``.
public struct MetricDescriptor: Sendable, Hashable {
    /// The name samples carry in the Prometheus text format (counters end in `_total`).
    public let name: String
    public let help: String
    public let type: MetricType
    /// Label names in the order samples carry them: sorted by name, as client_golang writes
    /// them (a histogram's `le` comes last, after these).
    public let labelNames: [String]

    public init(name: String, help: String, type: MetricType, labelNames: [String]) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
    }

    /// The unit OpenMetrics declares in `# UNIT` (and protobuf in `MetricFamily.unit`): `seconds`
    /// for a family whose OpenMetrics name ends in `_seconds`, nil for the others.
    public var unit: String? {
        openMetricsName.hasSuffix("_seconds") ? "seconds" : nil
    }

    /// The family name OpenMetrics declares in `# HELP` and `# TYPE`: a counter's name without
    /// `_total` (its samples keep the suffix).
    public var openMetricsName: String {
        guard type == .counter, name.hasSuffix("_total") else { return name }
        return String(name.dropLast("_total".count))
    }
}

/// Every metric family the exporter writes, as constants: one source for the renderer,
/// the README table and the dashboard and alert tests.
///
/// Job metrics say in their HELP that they are polled in the background: after a failed poll
/// they keep the values of the last good listing (`cckm_up` and
/// `cckm_last_poll_success_timestamp_seconds` tell their state and age).
public enum MetricCatalogue {
    private static let background = " Polled in the background; kept from the last successful poll."
    private static let listingLabels = ["cloud", "cm"]
    private static let statusLabels = ["cloud", "cm", "status"]

    public static let syncJobs = MetricDescriptor(
        name: "cckm_sync_jobs",
        help: "Synchronization jobs in the last listing by overall_status." + background,
        type: .gauge, labelNames: statusLabels)
    public static let syncJobsFinished = MetricDescriptor(
        name: "cckm_sync_jobs_finished_total",
        help: "Distinct finished synchronization jobs seen since the exporter started, by status;"
            + " the first poll counts the history it finds." + background,
        type: .counter, labelNames: statusLabels)
    public static let syncJobsCancelled = MetricDescriptor(
        name: "cckm_sync_jobs_cancelled_total",
        help: "Distinct finished synchronization jobs whose abort was true (a cancel was requested),"
            + " whatever their final status; the first poll counts the history it finds." + background,
        type: .counter, labelNames: listingLabels)
    public static let syncLastCancelled = MetricDescriptor(
        name: "cckm_sync_last_cancelled_timestamp_seconds",
        help: "completed_at of the newest cancelled synchronization job in seconds since the epoch;"
            + " absent until one is seen." + background,
        type: .gauge, labelNames: listingLabels)
    public static let syncJobDuration = MetricDescriptor(
        name: "cckm_sync_job_duration_seconds",
        help: "Time from createdAt to completed_at of finished synchronization jobs,"
            + " observed once per job." + background,
        type: .histogram, labelNames: statusLabels)
    public static let syncRegionsInProgress = MetricDescriptor(
        name: "cckm_sync_regions_in_progress",
        help: "Regions with detailed_status in_progress inside running synchronization jobs."
            + background,
        type: .gauge, labelNames: listingLabels)
    public static let syncRegionInProgress = MetricDescriptor(
        name: "cckm_sync_region_in_progress",
        help: "1 for each region in progress inside a running synchronization job." + background,
        type: .gauge, labelNames: ["cloud", "cloud_account", "cloud_region", "cm"])
    public static let syncOldestRunningJobStart = MetricDescriptor(
        name: "cckm_sync_oldest_running_job_start_timestamp_seconds",
        help: "createdAt of the oldest running synchronization job in seconds since the epoch;"
            + " absent when none runs." + background,
        type: .gauge, labelNames: listingLabels)
    public static let syncLastFinished = MetricDescriptor(
        name: "cckm_sync_last_finished_timestamp_seconds",
        help: "completed_at of the newest synchronization job finished with that status,"
            + " in seconds since the epoch; a cancelled job is no success." + background,
        type: .gauge, labelNames: statusLabels)
    public static let syncLatestJobStatus = MetricDescriptor(
        name: "cckm_sync_latest_job_status",
        help: "1 for the status of the most recently created synchronization job,"
            + " 0 for the other known statuses." + background,
        type: .gauge, labelNames: statusLabels)
    public static let jobsInvalid = MetricDescriptor(
        name: "cckm_jobs_invalid_total",
        help: "Jobs skipped as unusable, by reason; once per distinct job id,"
            + " once per poll for jobs without an id." + background,
        type: .counter, labelNames: ["cloud", "cm", "reason"])
    public static let up = MetricDescriptor(
        name: "cckm_up",
        help: "1 when the last poll of the listing succeeded, 0 when it failed.",
        type: .gauge, labelNames: listingLabels)
    public static let lastPollSuccess = MetricDescriptor(
        name: "cckm_last_poll_success_timestamp_seconds",
        help: "End time of the last successful poll of the listing in seconds since the epoch.",
        type: .gauge, labelNames: listingLabels)
    public static let pollDuration = MetricDescriptor(
        name: "cckm_poll_duration_seconds",
        help: "Wall time of the last poll of the listing in seconds.",
        type: .gauge, labelNames: listingLabels)
    public static let pollErrors = MetricDescriptor(
        name: "cckm_poll_errors_total",
        help: "Failed polls of the listing by reason.",
        type: .counter, labelNames: ["cloud", "cm", "reason"])
    public static let listingWalkStarted = MetricDescriptor(
        name: "cckm_listing_walk_started_timestamp_seconds",
        help: "Start of the complete walk of the listing under way, in seconds since the epoch;"
            + " absent when none runs (a walk that never ends can be alerted on).",
        type: .gauge, labelNames: listingLabels)
    public static let listingCatchUpBacklog = MetricDescriptor(
        name: "cckm_listing_catchup_backlog_jobs",
        help: "Jobs CM lists that the listing's metrics do not hold yet while a catch-up reads a backlog"
            + " of new jobs page by page (estimated from the listing's total); 0 when the metrics are"
            + " up to date.",
        type: .gauge, labelNames: listingLabels)
    public static let limitReached = MetricDescriptor(
        name: "cckm_exporter_limit_reached_total",
        help: "Polls in which a limit on what CM data may cost bit, by limit (statuses, region_series,"
            + " jobs, response_bytes; docs/SECURITY.md).",
        type: .counter, labelNames: ["cloud", "cm", "limit"])
    public static let apiRequests = MetricDescriptor(
        name: "cckm_api_requests_total",
        help: "Requests sent to CipherTrust Manager by endpoint and HTTP status code"
            + " (code error when no HTTP answer came).",
        type: .counter, labelNames: ["cm", "code", "endpoint"])
    public static let buildInfo = MetricDescriptor(
        name: "cckm_exporter_build_info",
        help: "Version, revision and Swift version cckm_exporter was built from; always 1.",
        type: .gauge, labelNames: ["revision", "swift_version", "version"])
    /// Written only for CMs the exporter presents a client certificate to.
    public static let clientCertificateExpiry = MetricDescriptor(
        name: "cckm_cm_client_certificate_expiry_timestamp_seconds",
        help: "When the client certificate presented to this CipherTrust Manager expires (its notAfter),"
            + " as last read from its file; written only when one is configured.",
        type: .gauge, labelNames: ["cm"])
    /// Written only for CMs the exporter presents a client certificate to.
    public static let clientCertificateRotationRefused = MetricDescriptor(
        name: "cckm_cm_client_certificate_rotation_refused",
        help: "1 while the client certificate files hold a pair that was refused (key not the certificate's,"
            + " wrong key password, expired, unreadable) and the last good one stays presented, else 0;"
            + " written only when one is configured.",
        type: .gauge, labelNames: ["cm"])
    /// The families written only for CMs with a client certificate: without one the output has none.
    public static let clientCertificateFamilies: [MetricDescriptor] = sortedByName([
        clientCertificateExpiry, clientCertificateRotationRefused,
    ])
    /// Written only by a sharded exporter (`--total-shards` above 1).
    public static let shardOrdinal = MetricDescriptor(
        name: "cckm_exporter_shard_ordinal",
        help: "This exporter's shard ordinal (also its shard label); written only when sharded.",
        type: .gauge, labelNames: ["shard"])
    public static let totalShards = MetricDescriptor(
        name: "cckm_exporter_total_shards",
        help: "Shards the configured CipherTrust Managers are split among; written only when sharded.",
        type: .gauge, labelNames: [])
    public static let targets = MetricDescriptor(
        name: "cckm_exporter_targets",
        help: "Configured CipherTrust Managers this shard polls (state owned) and those other shards poll"
            + " (state other_shards); written only when sharded.",
        type: .gauge, labelNames: ["shard", "state"])

    /// Counted by the HTTP server at every request, rendered live at every scrape.
    public static let httpAuthFailures = MetricDescriptor(
        name: "cckm_exporter_http_auth_failures_total",
        help: "Requests refused for wrong basic-auth credentials (unknown user or wrong password),"
            + " throttled attempts included.",
        type: .counter, labelNames: [])

    /// The `process_*` families with client_golang's names, HELP texts and types.
    public static let processCPUSeconds = MetricDescriptor(
        name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
        type: .counter, labelNames: [])
    public static let processMaxFDs = MetricDescriptor(
        name: "process_max_fds", help: "Maximum number of open file descriptors.",
        type: .gauge, labelNames: [])
    public static let processOpenFDs = MetricDescriptor(
        name: "process_open_fds", help: "Number of open file descriptors.",
        type: .gauge, labelNames: [])
    public static let processResidentMemory = MetricDescriptor(
        name: "process_resident_memory_bytes", help: "Resident memory size in bytes.",
        type: .gauge, labelNames: [])
    public static let processStartTime = MetricDescriptor(
        name: "process_start_time_seconds",
        help: "Start time of the process since unix epoch in seconds.",
        type: .gauge, labelNames: [])
    public static let processVirtualMemory = MetricDescriptor(
        name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.",
        type: .gauge, labelNames: [])

    /// Every `cckm_*` family, sorted by name (the order the writer emits them in).
    public static let cckmFamilies: [MetricDescriptor] = sortedByName([
        syncJobs, syncJobsFinished, syncJobsCancelled, syncLastCancelled, syncJobDuration,
        syncRegionsInProgress, syncRegionInProgress,
        syncOldestRunningJobStart, syncLastFinished, syncLatestJobStatus, jobsInvalid, up,
        lastPollSuccess, pollDuration, pollErrors, listingWalkStarted, limitReached, apiRequests, buildInfo,
        shardOrdinal, totalShards, targets, listingCatchUpBacklog, clientCertificateExpiry,
        clientCertificateRotationRefused,
    ])

    /// The families only a sharded exporter writes (`--total-shards` above 1), sorted by name:
    /// an unsharded exporter's output has none of them.
    public static let shardFamilies: [MetricDescriptor] = sortedByName([shardOrdinal, targets, totalShards])

    /// The families of the exporter's own HTTP server (``ServerMetrics``), sorted by name.
    public static let serverFamilies: [MetricDescriptor] = sortedByName([httpAuthFailures])

    /// Every `process_*` family, sorted by name.
    public static let processFamilies: [MetricDescriptor] = sortedByName([
        processCPUSeconds, processMaxFDs, processOpenFDs, processResidentMemory, processStartTime,
        processVirtualMemory,
    ])

    /// Every family, sorted by name.
    public static let all: [MetricDescriptor] = sortedByName(cckmFamilies + serverFamilies + processFamilies)

    /// A Markdown table of every family (name, type, labels, HELP) for the README.
    public static func markdownTable() -> String {
        var lines = ["| name | type | labels | meaning |", "|---|---|---|---|"]
        for family in all {
            let labels = family.labelNames.isEmpty ? "–" : family.labelNames.joined(separator: ", ")
            lines.append("| `\(family.name)` | \(family.type.rawValue) | \(labels) | \(family.help) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func sortedByName(_ families: [MetricDescriptor]) -> [MetricDescriptor] {
        families.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
