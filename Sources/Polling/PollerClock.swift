import Foundation
import Synchronization

/// The poller's two clocks: a monotonic one that schedules polls and measures budgets, and
/// the wall clock that timestamps what is exported. Injected, so tests advance time instead
/// of sleeping, and step the wall clock without moving the schedule.
protocol PollerClock: Sendable {
    /// Monotonic now: polls are scheduled on it.
    func now() -> ContinuousClock.Instant
    /// Seconds since the epoch, for exported timestamps only.
    func wallTime() -> Double
    /// Sleeps until `deadline` on the monotonic clock, or until `stop` fires; true when stopped.
    func sleep(until deadline: ContinuousClock.Instant, stop: StopSignal) -> Bool
}

/// The real clocks: `ContinuousClock` and `Date`.
struct SystemPollerClock: PollerClock {
    func now() -> ContinuousClock.Instant { .now }
    func wallTime() -> Double { Date().timeIntervalSince1970 }
    func sleep(until deadline: ContinuousClock.Instant, stop: StopSignal) -> Bool {
        stop.wait(for: deadline - .now)
    }
}

/// A clock that moves only when told (tests): ``advance(by:)`` moves both clocks,
/// ``stepWallClock(by:)`` the wall clock alone, as an NTP correction would. A poller asleep
/// on it wakes when time passes its deadline.
final class ManualPollerClock: PollerClock {
    private struct Time {
        var offset: Duration = .zero
        var wall: Double
    }

    private let origin = ContinuousClock.now
    private let time: Mutex<Time>
    private let changed = NSCondition()

    init(wallTime: Double = 1_700_000_000) {
        time = Mutex(Time(wall: wallTime))
    }

    func now() -> ContinuousClock.Instant { origin + time.withLock { $0.offset } }
    func wallTime() -> Double { time.withLock { $0.wall } }

    /// Moves both clocks forward.
    func advance(by duration: Duration) {
        time.withLock { time in
            time.offset += duration
            time.wall += duration / .seconds(1)
        }
        changed.lock()
        changed.broadcast()
        changed.unlock()
    }

    /// Steps the wall clock alone (negative: backwards).
    func stepWallClock(by seconds: Double) {
        time.withLock { $0.wall += seconds }
    }

    func sleep(until deadline: ContinuousClock.Instant, stop: StopSignal) -> Bool {
        changed.lock()
        defer { changed.unlock() }
        while !stop.isStopped && now() < deadline {
            // Short real waits: a stop() signals the StopSignal, not this condition.
            _ = changed.wait(until: Date(timeIntervalSinceNow: 0.01))
        }
        return stop.isStopped
    }
}
