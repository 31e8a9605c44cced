import Foundation

/// The command line: without `--measure` it runs one child process per history size (so each
/// peak RSS is its own) and prints the table; `--measure N` measures one size and prints one
/// result line.
enum BenchCommand {
    static func run(_ arguments: [String]) {
        var sizes = [1_000, 10_000, 100_000]
        var wrkSeconds = 5
        var measure: Int?
        var slowCM = false
        var slowJobs = 100_000
        var latency = 0.1
        var pageSize = 500
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            let (name, inline) = split(argument)
            if name == "--slow-cm" {
                slowCM = true
                continue
            }
            let value = inline ?? iterator.next() ?? ""
            switch name {
            case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }
            case "--wrk-seconds": wrkSeconds = Int(value) ?? wrkSeconds
            case "--measure": measure = Int(value)
            case "--hostile":
                HostileDataBenchmark.run(value)
                return
            case "--slow-jobs": slowJobs = Int(value) ?? slowJobs
            case "--latency": latency = Double(value) ?? latency
            case "--page-size": pageSize = Int(value) ?? pageSize
            default:
                print(
                    "usage: cckm-bench [--sizes 1000,10000,100000] [--wrk-seconds 5]\n"
                        + "       cckm-bench --slow-cm [--slow-jobs 100000] [--latency 0.1] [--page-size 500]"
                )
                exit(argument == "--help" ? 0 : 2)
            }
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
        for size in sizes {
            FileHandle.standardError.write(Data("measuring \(size) jobs…\n".utf8))
            guard let result = child(size: size, wrkSeconds: wrkSeconds) else {
                FileHandle.standardError.write(Data("  no result for \(size)\n".utf8))
                continue
            }
            results.append(result)
        }
        print(BenchResult.table(results))
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
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
