import Dispatch
import Foundation

/// The one place that handles signals: SIGHUP reloads; SIGTERM and SIGINT end the wait.
enum SignalHandling {
    /// Blocks the calling thread until SIGTERM or SIGINT; calls `onReload` for each SIGHUP.
    static func waitForTermination(onReload: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "signals")
        let terminated = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                if signalNumber == SIGHUP { onReload() } else { terminated.signal() }
            }
            source.resume()
            sources.append(source)
        }
        terminated.wait()
        sources.forEach { $0.cancel() }
    }
}
