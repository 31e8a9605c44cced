import Dispatch
import Foundation
import Synchronization

/// The one place that handles signals: SIGHUP reloads; SIGTERM and SIGINT end the wait.
///
/// The first statement of `main` blocks the exporter's signals (``blockHandledSignals()``)
/// before any other thread exists, so every thread inherits the mask: a SIGTERM arriving
/// during start-up — flags, configuration, the first threads — waits pending instead of
/// meeting the default action (death by signal, exit 143), and becomes an orderly stop once
/// ``waitForTermination(onReload:)`` runs; libdispatch's signal sources read blocked signals
/// (signalfd). Reloads run on a queue of their own: a slow one (a CM that takes its time, a TLS
/// daemon starting) never holds up termination, which the exporter promises within 5 s.
/// Reloads still run one at a time, and SIGHUPs arriving during one coalesce into one more.
final class SignalHandling: Sendable {
    private let terminated = DispatchSemaphore(value: 0)
    private let reloadAction = ReloadAction()
    private let sources: Mutex<[any DispatchSourceSignal]>

    /// The action SIGHUP runs, set once the exporter is running; nil before (a SIGHUP then
    /// finds nothing to reload and is dropped).
    private final class ReloadAction: Sendable {
        let action = Mutex<(@Sendable () -> Void)?>(nil)
        func run() { action.withLock { $0 }?() }
    }

    /// The signals the exporter handles: SIGTERM and SIGINT stop it, SIGHUP reloads it.
    static let exporterSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks ``exporterSignals`` in the calling thread, and so in every thread it starts.
    static func blockHandledSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in exporterSignals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        blockedAtStart.store(true, ordering: .releasing)
    }

    /// Whether ``blockHandledSignals()`` ran (in `main`, so for the whole process).
    private static let blockedAtStart = Atomic(false)

    /// Takes over `terminateOn` and `reloadOn` from their default actions at once.
    /// Tests pass other signals (SIGUSR1, SIGUSR2) than the exporter's.
    init(terminateOn: [Int32] = [SIGTERM, SIGINT], reloadOn: [Int32] = [SIGHUP]) {
        let terminationQueue = DispatchQueue(label: "signals.termination")
        let reloadQueue = DispatchQueue(label: "signals.reload")
        var sources: [any DispatchSourceSignal] = []
        let roles = terminateOn.map { ($0, true) } + reloadOn.map { ($0, false) }
        for (number, terminates) in roles {
            Self.ignoreUntilHandled(number)
            let source = DispatchSource.makeSignalSource(
                signal: number, queue: terminates ? terminationQueue : reloadQueue)
            source.setEventHandler { [terminated, reloadAction] in
                if terminates { terminated.signal() } else { reloadAction.run() }
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
    /// A signal that ``blockHandledSignals()`` blocked for the whole process is left alone: no
    /// default action can hit it, and SIG_IGN would discard one already pending. (A thread's
    /// own mask says nothing about the process: libdispatch's worker threads block every
    /// signal.)
    private static func ignoreUntilHandled(_ number: Int32) {
        if exporterSignals.contains(number) && blockedAtStart.load(ordering: .acquiring) { return }
        var current = sigaction()
        sigaction(number, nil, &current)
        if current.__sigaction_handler.sa_handler == nil { signal(number, SIG_IGN) }  // SIG_DFL
    }

    /// Blocks the calling thread until a termination signal (one that came earlier counts);
    /// calls `onReload` for each reload signal meanwhile, on the reload queue. Returns without
    /// waiting for a reload in progress.
    func waitForTermination(onReload: @escaping @Sendable () -> Void) {
        reloadAction.action.withLock { $0 = onReload }
        terminated.wait()
        reloadAction.action.withLock { $0 = nil }
        sources.withLock { sources in sources.forEach { $0.cancel() } }
    }
}
