import CMWire
import ExporterConfig
import JobMetrics

/// The durations the flags give (`30s`, `1m`: Prometheus's notation) and the `--cm.max-*`
/// limits on what CM data may cost.
extension RuntimeSettings {
    /// A flag's duration (`30s`, `1m`), or an error naming the flag.
    static func duration(_ text: String, flag: String) throws(ConfigurationError) -> Duration {
        guard let value = PrometheusDuration.parse(text) else {
            throw ConfigurationError(
                field: flag, problem: "must be a duration like 30s or 1m, got \"\(text)\"")
        }
        return value
    }

    /// `--cm.max-*`, each checked against its least useful value.
    static func dataLimits(_ options: ExporterOptions) throws(ConfigurationError) -> DataLimits {
        for (flag, value, minimum) in [
            ("--cm.max-statuses", options.cmMaxStatuses, KnownJobStatus.allCases.count + 1),
            ("--cm.max-region-series", options.cmMaxRegionSeries, 0), ("--cm.max-jobs", options.cmMaxJobs, 1),
            ("--cm.max-response-bytes", options.cmMaxResponseBytes, 4096),
        ] where value < minimum {
            throw ConfigurationError(field: flag, problem: "must be at least \(minimum), got \(value)")
        }
        return DataLimits(
            listing: ListingLimits(
                statuses: options.cmMaxStatuses, regionSeries: options.cmMaxRegionSeries,
                jobs: options.cmMaxJobs),
            responseBytes: options.cmMaxResponseBytes)
    }
}
