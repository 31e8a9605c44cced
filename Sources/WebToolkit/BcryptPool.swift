import Foundation

/// Where bcrypt checks run: off libmicrohttpd's worker threads (which keep serving scrapes
/// with already-verified credentials meanwhile), on at most ``threads`` threads, with at most
/// ``queueLimit`` checks waiting. exporter-toolkit serializes bcrypt behind one mutex; one
/// thread here does the same and leaves the other cores to the server.
///
/// Threads start when work arrives and end when the queue is empty, so an idle server has
/// none.
public final class BcryptPool: @unchecked Sendable {
    // @unchecked: `queue` and `running` are only touched with `condition` locked.
    /// Threads that run checks at once.
    public let threads: Int
    /// Checks that may wait; more are refused (the request gets 503).
    public let queueLimit: Int
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var running = 0

    public init(threads: Int = 1, queueLimit: Int = 16) {
        self.threads = max(1, threads)
        self.queueLimit = max(1, queueLimit)
    }

    /// Queues `work`; false, and `work` is never run, when ``queueLimit`` checks already wait.
    public func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard queue.count - head < queueLimit else { return false }
        queue.append(work)
        if running < threads {
            running += 1
            Thread.detachNewThread { [self] in drain() }
        }
        return true
    }

    private func drain() {
        while let work = take() { work() }
    }

    private func take() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        guard head < queue.count else {
            queue.removeAll(keepingCapacity: true)
            head = 0
            running -= 1
            return nil
        }
        let work = queue[head]
        head += 1
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return work
    }
}
