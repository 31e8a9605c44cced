import CMicroHTTPD
import Foundation

/// Closes connections whose request has not arrived whole in time, from one small thread that
/// looks every ``tick``: always after ``HTTPServerOptions/requestDeadline``, and, while more
/// than seven eighths of ``HTTPServerOptions/connectionLimit`` are open, every connection that
/// has waited at least ``pressureGrace``, longest-waiting first, so new connections (a scrape)
/// find a free place within a tick or so even when slow clients keep filling the server.
///
/// "Waiting" covers a new connection until its last request byte (TLS handshake included) and
/// a kept-alive one from the end of its previous response; a request being answered is never
/// touched. The sockets are only shut down here; libmicrohttpd closes them.
final class ConnectionReaper: @unchecked Sendable {
    // @unchecked: `stopping` and `finished` are only touched with `condition` locked; the
    // server pointer is only used while the thread runs, and `stop()` waits for it to end.
    /// How often the reaper looks.
    static let tick: Duration = .milliseconds(100)
    /// How long a waiting connection is spared when the server is crowded.
    static let pressureGrace: Duration = .milliseconds(500)

    private let condition = NSCondition()
    private var stopping = false
    private var finished = false

    init(server: UnsafeMutablePointer<cmhd_server>, options: HTTPServerOptions) {
        var policy = cmhd_reap_policy()
        policy.deadline_ms = UInt64(max(1, Self.milliseconds(options.requestDeadline)))
        policy.high_water = UInt32(Self.highWater(connectionLimit: options.connectionLimit))
        policy.pressure_grace_ms = UInt64(Self.milliseconds(Self.pressureGrace))
        let handle = ReaperTarget(server: server, policy: policy)
        Thread.detachNewThread { [self] in run(handle) }
    }

    /// Open connections above which the reaper makes room: seven eighths of the limit.
    static func highWater(connectionLimit: Int) -> Int {
        max(0, connectionLimit - max(1, connectionLimit / 8))
    }

    /// Ends the thread and waits for it, so the server can be freed.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run(_ target: ReaperTarget) {
        let interval = Double(Self.milliseconds(Self.tick)) / 1000
        condition.lock()
        while !stopping {
            condition.unlock()
            var policy = target.policy
            _ = cmhd_reap(target.server, &policy)
            condition.lock()
            if stopping { break }
            _ = condition.wait(until: Date().addingTimeInterval(interval))
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        Int64(duration / .milliseconds(1))
    }
}

/// The server the reaper works on; only used between start and ``ConnectionReaper/stop()``.
private struct ReaperTarget: @unchecked Sendable {
    let server: UnsafeMutablePointer<cmhd_server>
    let policy: cmhd_reap_policy
}
