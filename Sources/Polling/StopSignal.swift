import Dispatch
import Synchronization

/// A one-way flag a poller thread sleeps on: ``wait(for:)`` returns early once ``stop()`` ran.
///
/// Waits are measured on the monotonic clock (`DispatchTime`), never on wall-clock time: a
/// clock stepped backwards cannot stretch a poller's sleep.
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Wakes the waiter; later waits return at once.
    func stop() {
        if !stopped.exchange(true, ordering: .sequentiallyConsistent) { wakeUp.signal() }
    }

    var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Sleeps `duration` or until ``stop()``; returns true when stopped.
    func wait(for duration: Duration) -> Bool {
        guard !isStopped else { return true }
        guard duration > .zero else { return false }
        let nanoseconds =
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if wakeUp.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, Int64(Int.max))))) == .success {
            wakeUp.signal()  // stay signalled for any later wait
        }
        return isStopped
    }
}
