import Foundation
import JobMetrics
import Synchronization

/// The last polls of every listing with the lines logged while each ran, for the status page's
/// "recent polls" (like blackbox_exporter's recent probes). Thread-safe: pollers write, HTTP
/// threads read. Bounded: ``pollsPerListing`` polls per listing, ``linesPerPoll`` lines each.
///
/// A poller calls ``begin(_:)`` before a poll (or a complete walk) and ``finish(_:failure:)``
/// with the ticket after it has logged the outcome; lines its logger writes in between
/// (``JournalLogHandler``) land in the newest poll the CM has open (one poller thread per CM).
package final class PollJournal: Sendable {
    /// Polls kept per listing.
    static let pollsPerListing = 10
    /// Lines kept per poll; later ones are only counted.
    static let linesPerPoll = 50

    /// One open poll, handed out by ``begin(_:)``: ``finish(_:failure:)`` closes exactly this
    /// poll, even when another poller of the same CM (an overlap during a reload) opened one
    /// since.
    struct Ticket: Sendable, Equatable {
        let key: ListingKey
        let id: UInt64
        let started: ContinuousClock.Instant
    }

    private struct State {
        /// Oldest first, with the id of each record.
        var polls: [ListingKey: [(id: UInt64, record: PollRecord)]] = [:]
        /// The polls each CM has open, newest last: lines go to the newest.
        var open: [String: [Ticket]] = [:]
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Double

    init(clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.clock = clock
    }

    /// Opens a poll of `key`; the oldest kept poll of the listing goes when there are too many.
    func begin(_ key: ListingKey) -> Ticket {
        let start = clock()
        return state.withLock { state in
            let ticket = Ticket(key: key, id: state.nextID, started: .now)
            state.nextID += 1
            var polls = state.polls[key, default: []]
            polls.append((ticket.id, PollRecord(start: start)))
            if polls.count > Self.pollsPerListing { polls.removeFirst(polls.count - Self.pollsPerListing) }
            state.polls[key] = polls
            state.open[key.cm, default: []].append(ticket)
            return ticket
        }
    }

    /// Closes the poll `ticket` opened, with its outcome.
    func finish(_ ticket: Ticket, failure: (reason: PollErrorReason, message: String)?) {
        close(
            ticket,
            outcome: failure.map { .failed(reason: $0.reason.rawValue, message: $0.message) } ?? .succeeded)
    }

    /// Closes the poll `ticket` opened, which its poller gave up (stopped by a reload or at
    /// exit): shown as failed with reason `stopped`, no longer running.
    func abandon(_ ticket: Ticket, message: String) {
        close(ticket, outcome: .failed(reason: "stopped", message: message))
    }

    private func close(_ ticket: Ticket, outcome: PollRecord.Outcome) {
        state.withLock { state in
            state.open[ticket.key.cm]?.removeAll { $0 == ticket }
            if state.open[ticket.key.cm]?.isEmpty == true { state.open[ticket.key.cm] = nil }
            guard let index = state.polls[ticket.key]?.firstIndex(where: { $0.id == ticket.id }) else {
                return
            }
            state.polls[ticket.key]![index].record.durationSeconds =
                (ContinuousClock.now - ticket.started) / .seconds(1)
            state.polls[ticket.key]![index].record.outcome = outcome
        }
    }

    /// Adds a log line to the newest open poll of `cm`, if any (lines outside polls are not kept).
    func append(cm: String, line: @autoclosure () -> String) {
        state.withLock { state in
            guard let ticket = state.open[cm]?.last,
                let index = state.polls[ticket.key]?.firstIndex(where: { $0.id == ticket.id })
            else { return }
            if state.polls[ticket.key]![index].record.lines.count < Self.linesPerPoll {
                state.polls[ticket.key]![index].record.lines.append(line())
            } else {
                state.polls[ticket.key]![index].record.droppedLines += 1
            }
        }
    }

    /// True while `cm` has a poll open: only then is a line worth formatting.
    func isPolling(cm: String) -> Bool { state.withLock { $0.open[cm] != nil } }

    /// The kept polls of `key`, newest first.
    package func recentPolls(_ key: ListingKey) -> [PollRecord] {
        state.withLock { state in state.polls[key, default: []].reversed().map(\.record) }
    }

    /// Forgets listings no longer configured.
    func retain(only keys: Set<ListingKey>) {
        state.withLock { state in
            state.polls = state.polls.filter { keys.contains($0.key) }
            state.open = state.open.compactMapValues { tickets in
                let kept = tickets.filter { keys.contains($0.key) }
                return kept.isEmpty ? nil : kept
            }
        }
    }
}
