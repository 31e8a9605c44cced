import CCKMExporter
import Foundation
import MetricsServer
import Synchronization

/// The last polls of every listing with the lines logged while each ran, for the status page's
/// "recent polls" (like blackbox_exporter's recent probes). Thread-safe: pollers write, HTTP
/// threads read. Bounded: ``pollsPerListing`` polls per listing, ``linesPerPoll`` lines each.
///
/// A poller calls ``begin(_:)`` before a poll and ``finish(_:failure:)`` after it has logged the
/// outcome; lines its logger writes in between (``JournalLogHandler``) land in that poll. One
/// poller thread per CM polls its listings one after another, so "the open poll of this CM" is
/// where a line belongs.
final class PollJournal: Sendable {
    /// Polls kept per listing.
    static let pollsPerListing = 10
    /// Lines kept per poll; later ones are only counted.
    static let linesPerPoll = 50

    private struct State {
        /// Oldest first.
        var polls: [ListingKey: [PollRecord]] = [:]
        /// The listing each CM is polling right now.
        var open: [String: ListingKey] = [:]
        var started: [ListingKey: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Double

    init(clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.clock = clock
    }

    /// Opens a poll of `key`; the oldest kept poll of the listing goes when there are too many.
    func begin(_ key: ListingKey) {
        let start = clock()
        state.withLock { state in
            var polls = state.polls[key, default: []]
            polls.append(PollRecord(start: start))
            if polls.count > Self.pollsPerListing { polls.removeFirst(polls.count - Self.pollsPerListing) }
            state.polls[key] = polls
            state.open[key.cm] = key
            state.started[key] = .now
        }
    }

    /// Closes the open poll of `key` with its outcome.
    func finish(_ key: ListingKey, failure: (reason: PollErrorReason, message: String)?) {
        state.withLock { state in
            guard let started = state.started.removeValue(forKey: key),
                let last = state.polls[key]?.indices.last
            else { return }
            if state.open[key.cm] == key { state.open[key.cm] = nil }
            state.polls[key]![last].durationSeconds = (ContinuousClock.now - started).seconds
            state.polls[key]![last].outcome =
                failure.map { .failed(reason: $0.reason.rawValue, message: $0.message) } ?? .succeeded
        }
    }

    /// Adds a log line to the open poll of `cm`, if any (lines outside polls are not kept).
    func append(cm: String, line: @autoclosure () -> String) {
        state.withLock { state in
            guard let key = state.open[cm], let last = state.polls[key]?.indices.last else { return }
            if state.polls[key]![last].lines.count < Self.linesPerPoll {
                state.polls[key]![last].lines.append(line())
            } else {
                state.polls[key]![last].droppedLines += 1
            }
        }
    }

    /// True while `cm` has a poll open: only then is a line worth formatting.
    func isPolling(cm: String) -> Bool { state.withLock { $0.open[cm] != nil } }

    /// The kept polls of `key`, newest first.
    func recentPolls(_ key: ListingKey) -> [PollRecord] {
        state.withLock { state in Array(state.polls[key, default: []].reversed()) }
    }

    /// Forgets listings no longer configured.
    func retain(only keys: Set<ListingKey>) {
        state.withLock { state in
            state.polls = state.polls.filter { keys.contains($0.key) }
            state.started = state.started.filter { keys.contains($0.key) }
            state.open = state.open.filter { keys.contains($0.value) }
        }
    }
}
