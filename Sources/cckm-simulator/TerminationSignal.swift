import Dispatch
import Foundation

/// Blocks until SIGTERM or SIGINT arrives, through a dispatch signal source (no C handler).
enum TerminationSignal {
    /// Returns the name of the signal that arrived.
    static func wait() -> String {
        let arrived = DispatchSemaphore(value: 0)
        let name = NameBox()
        let queue = DispatchQueue(label: "cckm-simulator.signals")
        let sources = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { number, label in
            signal(number, SIG_IGN)  // let the dispatch source see it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                name.value = label
                arrived.signal()
            }
            source.resume()
            return source
        }
        arrived.wait()
        for source in sources { source.cancel() }
        return queue.sync { name.value }
    }

    /// The arrived signal's name; written and read on the signal queue only.
    private final class NameBox: @unchecked Sendable {
        var value = "signal"
    }
}
