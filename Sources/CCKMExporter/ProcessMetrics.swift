#if canImport(Glibc)
    import Glibc
#endif

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

    /// Reads the current values: a few small reads of `/proc` (tens of microseconds), cheap
    /// enough for every scrape.
    public static func current() -> ProcessMetrics {
        #if os(Linux)
            let stat = ProcStat.readSelf()
            let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
            return ProcessMetrics(
                cpuSecondsTotal: stat.map { Double($0.userTicks + $0.systemTicks) / ticksPerSecond },
                residentMemoryBytes: stat.map { $0.residentPages * pageSize },
                virtualMemoryBytes: stat?.virtualBytes,
                openFDs: ProcFiles.countEntries(ofDirectory: "/proc/self/fd"),
                maxFDs: descriptorLimit(),
                startTimeSeconds: stat.flatMap { stat in
                    ProcStat.bootTime().map { $0 + Double(stat.startTicks) / ticksPerSecond }
                })
        #else
            return ProcessMetrics(
                cpuSecondsTotal: nil, residentMemoryBytes: nil, virtualMemoryBytes: nil, openFDs: nil,
                maxFDs: nil, startTimeSeconds: nil)
        #endif
    }

    #if os(Linux)
        private static func descriptorLimit() -> UInt64? {
            var limit = rlimit()
            guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
            return UInt64(limit.rlim_cur)
        }
    #endif

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
