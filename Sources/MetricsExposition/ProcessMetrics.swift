/// The `process_*` metrics of this process, read the way client_golang's process collector
/// reads them on Linux: CPU time, virtual size, resident pages and start time from
/// `/proc/self/stat` (boot time from `/proc/stat`), open descriptors by listing
/// `/proc/self/fd`, the descriptor limit from `RLIMIT_NOFILE` (its soft limit, the
/// "Max open files" of `/proc/self/limits`).
///
/// A value that cannot be read (no `/proc`, e.g. on macOS) is nil and its family is left out.
public struct ProcessMetrics: Sendable, Equatable {
    /// User plus system CPU time, seconds.
    public var cpuSecondsTotal: Double?
    public var residentMemoryBytes: UInt64?
    public var virtualMemoryBytes: UInt64?
    public var openFDs: UInt64?
    public var maxFDs: UInt64?
    /// Seconds since the epoch.
    public var startTimeSeconds: Double?

    public init(
        cpuSecondsTotal: Double?, residentMemoryBytes: UInt64?, virtualMemoryBytes: UInt64?,
        openFDs: UInt64?, maxFDs: UInt64?, startTimeSeconds: Double?
    ) {
        self.cpuSecondsTotal = cpuSecondsTotal
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.openFDs = openFDs
        self.maxFDs = maxFDs
        self.startTimeSeconds = startTimeSeconds
    }

    /// The value of one `process_*` family, nil when it could not be read.
    func value(of family: MetricDescriptor) -> SampleValue? {
        switch family {
        case MetricCatalogue.processCPUSeconds: cpuSecondsTotal.map(SampleValue.measurement)
        case MetricCatalogue.processResidentMemory: residentMemoryBytes.map(SampleValue.count)
        case MetricCatalogue.processVirtualMemory: virtualMemoryBytes.map(SampleValue.count)
        case MetricCatalogue.processOpenFDs: openFDs.map(SampleValue.count)
        case MetricCatalogue.processMaxFDs: maxFDs.map(SampleValue.count)
        case MetricCatalogue.processStartTime: startTimeSeconds.map(SampleValue.measurement)
        default: nil
        }
    }
}
