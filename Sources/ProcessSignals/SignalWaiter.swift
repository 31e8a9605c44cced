import Dispatch
import Foundation
import Synchronization

/// Waits for a process's signals through dispatch signal sources (no C handler): termination
/// signals end ``waitForTermination(onReload:)``, reload signals run an action meanwhile.
/// Serves the exporter (SIGTERM/SIGINT stop, SIGHUP reloads) and the simulator (SIGTERM/SIGINT).
///
/// A process may block its signals as the first statement of `main`
/// (``blockForProcess(_:)``), before any other thread exists, so every thread inherits the
/// mask: a SIGTERM arriving during start-up waits pending instead of meeting the default
/// action (death by signal, exit 143), and becomes an orderly stop once the wait runs;
/// libdispatch's signal sources read blocked signals (signalfd). Reloads run on a queue of
/// their own: a slow one never holds up termination. Reloads still run one at a time, and
/// reload signals arriving during one coalesce into one more.
public final class SignalWaiter: Sendable {
    private let terminated = DispatchSemaphore(value: 0)
    private let arrived = Arrival()
    private let reloadAction = ReloadAction()
    private let sources: Mutex<[any DispatchSourceSignal]>

    /// The action a reload signal runs, set while ``waitForTermination(onReload:)`` waits;
    /// nil otherwise (a reload signal then finds nothing to reload and is dropped).
    private final class ReloadAction: Sendable {
        let action = Mutex<(@Sendable () -> Void)?>(nil)
        func run() { action.withLock { $0 }?() }
    }

    /// The termination signal that arrived last (0 before any), shared with the handlers.
    private final class Arrival: Sendable {
        let number = Atomic<Int32>(0)
    }

    /// Blocks `signals` in the calling thread, and so in every thread it starts: call it in
    /// `main` before anything else, for the whole process.
    public static func blockForProcess(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        blockedForProcess.withLock { $0.formUnion(signals) }
    }

    /// What ``blockForProcess(_:)`` blocked.
    private static let blockedForProcess = Mutex<Set<Int32>>([])

    /// Takes over `terminateOn` and `reloadOn` from their default actions at once.
    /// Tests pass other signals (SIGUSR1, SIGUSR2) than the processes use.
    public init(terminateOn: [Int32], reloadOn: [Int32] = []) {
        let terminationQueue = DispatchQueue(label: "signals.termination")
        let reloadQueue = DispatchQueue(label: "signals.reload")
        var sources: [any DispatchSourceSignal] = []
        let roles = terminateOn.map { ($0, true) } + reloadOn.map { ($0, false) }
        for (number, terminates) in roles {
            Self.ignoreUntilHandled(number)
            let source = DispatchSource.makeSignalSource(
                signal: number, queue: terminates ? terminationQueue : reloadQueue)
            source.setEventHandler { [terminated, arrived, reloadAction] in
                if terminates {
                    arrived.number.store(number, ordering: .releasing)
                    terminated.signal()
                } else {
                    reloadAction.run()
                }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    /// Keeps the default action (death) away from `number` until the dispatch source takes
    /// it over: libdispatch installs its own handler when a source for the signal first
    /// registers, and keeps it for later sources, so only a signal nobody handles yet is set
    /// to SIG_IGN here; overwriting libdispatch's handler would make every later one vanish.
    ///
    /// A signal that ``blockForProcess(_:)`` blocked is left alone: no default action can hit
    /// it, and SIG_IGN would discard one already pending. (A thread's own mask says nothing
    /// about the process: libdispatch's worker threads block every signal.)
    private static func ignoreUntilHandled(_ number: Int32) {
        if blockedForProcess.withLock({ $0.contains(number) }) { return }
        var current = sigaction()
        sigaction(number, nil, &current)
        if current.__sigaction_handler.sa_handler == nil { signal(number, SIG_IGN) }  // SIG_DFL
    }

    /// Blocks the calling thread until a termination signal (one that came earlier counts)
    /// and returns it; calls `onReload` for each reload signal meanwhile, on the reload
    /// queue. Returns without waiting for a reload in progress. Call it once.
    @discardableResult
    public func waitForTermination(onReload: @escaping @Sendable () -> Void = {}) -> Int32 {
        reloadAction.action.withLock { $0 = onReload }
        terminated.wait()
        reloadAction.action.withLock { $0 = nil }
        sources.withLock { sources in sources.forEach { $0.cancel() } }
        return arrived.number.load(ordering: .acquiring)
    }

    /// `SIGTERM`, `SIGINT`, …; `signal 42` for one without a name here.
    public static func name(of number: Int32) -> String {
        let names: [Int32: String] = [
            SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT",
            SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2",
        ]
        return names[number] ?? "signal \(number)"
    }
}
