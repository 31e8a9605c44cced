import ArgumentParser
import Foundation

/// The command line: without `--measure` it runs one child process per history size (so each
/// peak RSS is its own) and prints the table; `--measure N` measures one size and prints one
/// result line. `--hostile CASE` and `--slow-cm` are modes of their own.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cckm-bench",
        abstract:
            "The benchmark of docs/PERFORMANCE.md: ingest, render, scrape rate, RSS, requests per poll.",
        usage: """
            cckm-bench [--sizes 1000,10000,100000] [--wrk-seconds 5]
            cckm-bench --slow-cm [--slow-jobs 100000] [--latency 0.1] [--page-size 500]
            cckm-bench --catch-up [--backlogs 6000,60000] [--catch-up-history 20000] [--latency 0.1]
            cckm-bench --living-cm [--living-minutes 30] [--living-history 10000]
            cckm-bench --hostile \(HostileDataBenchmark.cases.joined(separator: "|"))
            """)

    @Option(help: "History sizes, comma-separated: one child process and one table column each.")
    var sizes: HistorySizes = HistorySizes(values: [1_000, 10_000, 100_000])

    @Option(help: "Seconds of each wrk run on /metrics.")
    var wrkSeconds = 5

    @Option(
        help: ArgumentHelp(
            "Measure this one size in this process (what each child runs).", visibility: .hidden))
    var measure: Int?

    @Flag(help: "A CM that answers every listing page slowly, over a long history.")
    var slowCM = false

    @Option(help: "With --slow-cm: jobs in the history.")
    var slowJobs = 100_000

    @Option(help: "With --slow-cm and --catch-up: seconds every listing page takes.")
    var latency = 0.1

    @Option(help: "With --slow-cm: the exporter's page size.")
    var pageSize = 500

    @Flag(help: "Catch-up after an outage that left a backlog of new jobs (pages capped at 100).")
    var catchUp = false

    @Option(help: "With --catch-up: backlog sizes, comma-separated: one table row each.")
    var backlogs = HistorySizes(values: [6_000, 60_000])

    @Option(help: "With --catch-up: jobs in the history before the outage.")
    var catchUpHistory = 20_000

    @Flag(
        help:
            "A CM that lives (1, 5, 20 jobs/s; single node and a lagging 2-node cluster), on simulated time.")
    var livingCM = false

    @Option(help: "With --living-cm: simulated minutes of polling per row.")
    var livingMinutes = 30.0

    @Option(help: "With --living-cm: jobs of history.")
    var livingHistory = 10_000

    @Option(
        help: ArgumentHelp(
            "What a hostile CM's data costs: \(HostileDataBenchmark.cases.joined(separator: ", ")).",
            valueName: "case"))
    var hostile: String?

    func run() {
        if let hostile {
            HostileDataBenchmark.run(hostile)
            return
        }
        if catchUp {
            CatchUpBenchmark.run(history: catchUpHistory, backlogs: backlogs.values, latency: latency)
            return
        }
        if livingCM {
            LivingCMBenchmark.run(minutes: livingMinutes, history: livingHistory)
            return
        }
        if slowCM {
            SlowCMBenchmark.run(jobs: slowJobs, latency: latency, pageSize: pageSize)
            return
        }
        if let measure {
            let result = SizeMeasurement.run(jobs: measure, wrkSeconds: wrkSeconds)
            print(BenchResult.marker + result.encoded())
            return
        }
        var results: [BenchResult] = []
        for size in sizes.values {
            FileHandle.standardError.write(Data("measuring \(size) jobs…\n".utf8))
            guard let result = Self.child(size: size, wrkSeconds: wrkSeconds) else {
                FileHandle.standardError.write(Data("  no result for \(size)\n".utf8))
                continue
            }
            results.append(result)
        }
        print(BenchResult.table(results))
    }

    /// Runs `cckm-bench --measure size` and reads its result line.
    private static func child(size: Int, wrkSeconds: Int) -> BenchResult? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--measure", String(size), "--wrk-seconds", String(wrkSeconds)]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix(BenchResult.marker) }
        return line.flatMap { BenchResult(encoded: String($0.dropFirst(BenchResult.marker.count))) }
    }
}

/// `--sizes 1000,10000,100000`: job counts, comma-separated.
struct HistorySizes: ExpressibleByArgument {
    var values: [Int]

    init(values: [Int]) {
        self.values = values
    }

    init?(argument: String) {
        let values = argument.split(separator: ",").map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        self.values = values.compactMap { $0 }
    }

    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}
