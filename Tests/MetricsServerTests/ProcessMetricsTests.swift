import Foundation
import MetricsExposition
import Testing

@testable import MetricsServer

/// `process_*` read from this very test process.
@Suite struct ProcessMetricsTests {
    @Test func readsRealValuesOfThisProcess() throws {
        let process = ProcessMetrics.current()
        let resident = try #require(process.residentMemoryBytes)
        let virtual = try #require(process.virtualMemoryBytes)
        #expect(resident > 0)
        #expect(virtual >= resident)
        #expect(try #require(process.openFDs) >= 3)
        #expect(try #require(process.maxFDs) >= process.openFDs!)
        #expect(try #require(process.cpuSecondsTotal) >= 0)
        let start = try #require(process.startTimeSeconds)
        let now = Date().timeIntervalSince1970
        #expect(start <= now + 1)
        #expect(start > now - 3600)
    }

    @Test func openFDsFollowsDescriptorsOpenedAndClosed() throws {
        // Other suites open and close sockets in this process meanwhile: up to 5 tries.
        var seen: [(UInt64, UInt64)] = []
        for _ in 0..<5 {
            let before = try #require(ProcessMetrics.current().openFDs)
            let pipes = (0..<5).map { _ in Pipe() }
            let during = try #require(ProcessMetrics.current().openFDs)
            withExtendedLifetime(pipes) {}
            seen.append((before, during))
            if during >= before + 10 { break }
        }
        #expect(seen.contains { $0.1 >= $0.0 + 10 }, "\(seen)")
    }

    @Test func cpuTimeGrowsWithWork() throws {
        let before = try #require(ProcessMetrics.current().cpuSecondsTotal)
        var sink: UInt64 = 0
        let deadline = Date().addingTimeInterval(0.3)
        while Date() < deadline { for i in 0..<100_000 { sink &+= UInt64(i) &* 31 } }
        let after = try #require(ProcessMetrics.current().cpuSecondsTotal)
        #expect(after > before, "sink \(sink)")
    }

    @Test func statParsingCountsFieldsFromTheLastParenthesis() throws {
        var fields = (3...52).map { String($0 * 10) }
        fields[0] = "S"
        let line = "4242 (a) b (c) " + fields.joined(separator: " ") + "\n"
        let stat = try #require(ProcStat.parse(Array(line.utf8)))
        #expect(stat.userTicks == 140)
        #expect(stat.systemTicks == 150)
        #expect(stat.startTicks == 220)
        #expect(stat.virtualBytes == 230)
        #expect(stat.residentPages == 240)
        #expect(ProcStat.parse(Array("4242 (a) S 1 2".utf8)) == nil)
    }
}
