import Foundation
import Synchronization

/// The simulator's sense of time, in seconds since the Unix epoch (UTC).
///
/// Jobs are a pure function of their plan and the clock, and new jobs are created lazily when a
/// request arrives, so a test that swaps in a ``ManualClock`` gets a fully deterministic
/// simulator: nothing moves between two requests unless the test advances the clock.
public protocol SimulatorClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
}

/// Wall-clock time.
public struct SystemClock: SimulatorClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to: for deterministic tests.
public final class ManualClock: SimulatorClock {
    private let seconds: Mutex<Double>

    /// Starts at `start` seconds since the epoch (default 2024-01-01T00:00:00Z).
    public init(start: Double = 1_704_067_200) {
        seconds = Mutex(start)
    }

    public func now() -> Double { seconds.withLock { $0 } }

    /// Moves the clock forward (a negative value is ignored: time never runs backwards).
    public func advance(by delta: Double) {
        seconds.withLock { $0 += max(0, delta) }
    }
}
