import Foundation
import JobMetrics
import Logging
import Synchronization
import Testing

@testable import LineLogging
@testable import Polling

private final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
}

@Suite("Poll journal: recent polls and their log lines")
struct StatusPageJournalTests {
    private let aws = ListingKey(cm: "prod", cloud: "aws")
    private let azure = ListingKey(cm: "prod", cloud: "azure")

    @Test("keeps the last 10 polls per listing, newest first, each with its outcome")
    func keepsLastPolls() {
        let clock = Mutex(100.0)
        let journal = PollJournal(clock: { clock.withLock { $0 } })
        for poll in 0..<13 {
            clock.withLock { $0 = 100 + Double(poll) }
            let awsPoll = journal.begin(aws)
            journal.finish(awsPoll, failure: poll == 12 ? (.auth, "HTTP 401 NCERRUnauthorizedAccess") : nil)
        }
        let polls = journal.recentPolls(aws)
        #expect(polls.count == PollJournal.pollsPerListing)
        #expect(polls.map(\.start) == (3...12).reversed().map { 100 + Double($0) })
        #expect(polls[0].outcome == .failed(reason: "auth", message: "HTTP 401 NCERRUnauthorizedAccess"))
        #expect(polls[1].outcome == .succeeded)
        #expect(polls.allSatisfy { ($0.durationSeconds ?? -1) >= 0 })
        #expect(journal.recentPolls(azure).isEmpty)
    }

    @Test("a poll under way shows as running; lines go to the CM's open poll only")
    func linesGoToOpenPoll() {
        let journal = PollJournal()
        journal.append(cm: "prod", line: "before any poll")
        let awsPoll = journal.begin(aws)
        journal.append(cm: "prod", line: "during aws")
        journal.append(cm: "dr", line: "another CM")
        #expect(journal.recentPolls(aws).first?.outcome == .running)
        journal.finish(awsPoll, failure: nil)
        journal.append(cm: "prod", line: "between polls")
        let azurePoll = journal.begin(azure)
        journal.append(cm: "prod", line: "during azure")
        journal.finish(azurePoll, failure: nil)
        #expect(journal.recentPolls(aws).first?.lines == ["during aws"])
        #expect(journal.recentPolls(azure).first?.lines == ["during azure"])
    }

    /// An old and a new poller of one CM overlap during a reload: the old one's finish closes
    /// its own poll, never the new one's (which would stay "running" forever).
    @Test("overlapping polls of one listing each close their own record")
    func overlappingPollsCloseTheirOwnRecords() {
        let journal = PollJournal()
        let old = journal.begin(aws)
        let new = journal.begin(aws)
        journal.finish(old, failure: (.timeout, "late"))
        #expect(
            journal.recentPolls(aws).map(\.outcome) == [
                .running, .failed(reason: "timeout", message: "late"),
            ])
        journal.append(cm: "prod", line: "from the new poller")
        journal.finish(new, failure: nil)
        #expect(
            journal.recentPolls(aws).map(\.outcome) == [
                .succeeded, .failed(reason: "timeout", message: "late"),
            ])
        #expect(journal.recentPolls(aws).first?.lines == ["from the new poller"])
        #expect(!journal.isPolling(cm: "prod"))
    }

    @Test("a chatty poll keeps its first lines and counts the rest")
    func boundedLines() {
        let journal = PollJournal()
        let awsPoll = journal.begin(aws)
        for index in 0..<(PollJournal.linesPerPoll + 7) { journal.append(cm: "prod", line: "line \(index)") }
        journal.finish(awsPoll, failure: nil)
        let poll = journal.recentPolls(aws)[0]
        #expect(poll.lines.count == PollJournal.linesPerPoll)
        #expect(poll.lines.last == "line \(PollJournal.linesPerPoll - 1)")
        #expect(poll.droppedLines == 7)
    }

    @Test("listings removed by a reload are forgotten")
    func retain() {
        let journal = PollJournal()
        let awsPoll = journal.begin(aws)
        journal.finish(awsPoll, failure: nil)
        let azurePoll = journal.begin(azure)
        journal.finish(azurePoll, failure: nil)
        journal.retain(only: [azure])
        #expect(journal.recentPolls(aws).isEmpty)
        #expect(journal.recentPolls(azure).count == 1)
    }

    @Test("the journal's handler keeps debug lines while stderr stays at info")
    func handlerTeesByLevel() {
        let sink = Lines()
        let journal = PollJournal()
        var base = Logger(label: "test") { _ in
            LineLogHandler(format: .json, level: .info) { line in sink.lines.withLock { $0.append(line) } }
        }
        base[metadataKey: "cm"] = "prod"
        let logger = JournalLogHandler.wrapping(base, journal: journal, cm: "prod")
        logger.info("outside a poll")
        let awsPoll = journal.begin(aws)
        logger.debug("poll finished", metadata: ["cloud": "aws", "jobs": "3"])
        logger.warning("poll failing", metadata: ["cloud": "aws", "err": "a \"quoted\" text"])
        journal.finish(awsPoll, failure: nil)
        #expect(sink.all.count == 2, "stderr got info and warn, not debug: \(sink.all)")
        #expect(sink.all.allSatisfy { $0.hasPrefix("{\"ts\":") })
        let lines = journal.recentPolls(aws)[0].lines
        #expect(lines.count == 2)
        #expect(lines[0].contains(#"level=debug msg="poll finished" cm=prod cloud=aws jobs=3"#))
        #expect(
            lines[1].contains(#"level=warn msg="poll failing" cm=prod cloud=aws err="a \"quoted\" text""#))
    }
}
