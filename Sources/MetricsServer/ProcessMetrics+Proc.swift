import MetricsExposition

extension ProcessMetrics {
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
}

#if os(Linux)
    import Glibc

    /// The fields of `/proc/self/stat` that `process_*` needs (proc(5), 1-based field numbers).
    struct ProcStat {
        /// Field 14 `utime` and 15 `stime`, in clock ticks.
        var userTicks: UInt64
        var systemTicks: UInt64
        /// Field 22 `starttime`: ticks after boot.
        var startTicks: UInt64
        /// Field 23 `vsize`, bytes.
        var virtualBytes: UInt64
        /// Field 24 `rss`, pages.
        var residentPages: UInt64

        static func readSelf() -> ProcStat? {
            guard let bytes = ProcFiles.read("/proc/self/stat") else { return nil }
            return parse(bytes)
        }

        /// Parses a stat line. The command name (field 2) is in parentheses and may itself hold
        /// spaces and parentheses, so fields are counted from the LAST `)`.
        static func parse(_ bytes: [UInt8]) -> ProcStat? {
            guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
            // After ")" come fields 3, 4, …: field N is at index N - 3.
            let fields = bytes[(close + 1)...].split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }
            func field(_ number: Int) -> UInt64? {
                let index = number - 3
                guard index < fields.count else { return nil }
                return ProcFiles.decimal(fields[index])
            }
            guard let user = field(14), let system = field(15), let start = field(22),
                let virtual = field(23), let resident = field(24)
            else { return nil }
            return ProcStat(
                userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual,
                residentPages: resident)
        }

        /// `btime` of `/proc/stat`: boot time in seconds since the epoch.
        static func bootTime() -> Double? {
            guard let bytes = ProcFiles.read("/proc/stat") else { return nil }
            let prefix = Array("btime ".utf8)
            for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: prefix) {
                return ProcFiles.decimal(line.dropFirst(prefix.count)).map { Double($0) }
            }
            return nil
        }
    }

    /// Small reads of `/proc` files without Foundation.
    enum ProcFiles {
        /// The whole content of a small file, nil when it cannot be read.
        static func read(_ path: String) -> [UInt8]? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var content: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { return nil }
                if count == 0 { return content }
                content.append(contentsOf: chunk[0..<count])
            }
        }

        /// Entries of a directory other than `.` and `..` (for `/proc/self/fd`, this count includes
        /// the descriptor used to list it, as client_golang's does).
        static func countEntries(ofDirectory path: String) -> UInt64? {
            guard let directory = opendir(path) else { return nil }
            defer { closedir(directory) }
            var count: UInt64 = 0
            while let entry = readdir(directory) {
                let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                    name[0] == UInt8(ascii: ".")
                        && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
                }
                if !isDot { count += 1 }
            }
            return count
        }

        /// An unsigned decimal number, nil for anything else.
        static func decimal<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64? {
            guard !bytes.isEmpty else { return nil }
            var value: UInt64 = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
                let (sum, carried) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflowed, !carried else { return nil }
                value = sum
            }
            return value
        }
    }
#endif
