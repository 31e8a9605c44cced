import Foundation

/// A one-way flag a poller thread sleeps on: `wait(until:)` returns early once `stop()` ran.
final class StopSignal: @unchecked Sendable {
    // @unchecked: `stopped` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var stopped = false

    /// Wakes every waiter; later waits return at once.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Sleeps until `deadline` or `stop()`; returns true when stopped.
    func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && Date() < deadline {
            _ = condition.wait(until: deadline)
        }
        return stopped
    }
}
