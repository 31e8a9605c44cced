import ExporterConfig
import Logging
import Synchronization

/// Owns the pollers: starts one per target, and on reload keeps the pollers of unchanged
/// targets (their counters and tokens carry on) and of targets whose credentials alone changed
/// (they log in with the new ones, keeping every listing's state), replaces changed ones and
/// stops removed ones.
/// A sharded replica polls only the targets its shard owns (``ExporterConfiguration/ownedTargets``):
/// a reload that changes the shard count stops the CMs that left at once and starts those that
/// arrived with a complete walk.
package final class PollerSupervisor: Sendable {
    private struct Pollers {
        var byName: [String: CMPoller] = [:]
        var nextOwner = 1
        /// Set by ``stopAll()``: a reload racing shutdown starts nothing.
        var stopped = false
    }

    private let pollers = Mutex(Pollers())
    private let state: ExporterState
    private let logger: Logger

    package init(state: ExporterState, logger: Logger) {
        self.state = state
        self.logger = logger
    }

    /// Makes the running pollers match `configuration`.
    package func apply(_ configuration: ExporterConfiguration) {
        let changed = pollers.withLock { pollers -> ([CMPoller], [CMPoller])? in
            guard !pollers.stopped else { return nil }
            var started: [CMPoller] = []
            var stopped: [CMPoller] = []
            var next: [String: CMPoller] = [:]
            for target in configuration.ownedTargets {
                if let current = pollers.byName[target.name],
                    current.target.differsOnlyInCredentials(from: target),
                    current.matches(configuration)
                {
                    if current.target != target { current.replaceCredentials(target) }
                    next[target.name] = current
                    continue
                }
                if let replaced = pollers.byName[target.name] { stopped.append(replaced) }
                let poller = CMPoller(
                    target: target, pollInterval: configuration.pollInterval,
                    pollTimeout: configuration.pollTimeout,
                    fullResyncInterval: configuration.fullResyncInterval,
                    walkTimeout: configuration.walkTimeout, limits: configuration.limits,
                    owner: pollers.nextOwner,
                    state: state, logger: logger)
                pollers.nextOwner += 1
                next[target.name] = poller
                started.append(poller)
            }
            stopped += pollers.byName.filter { next[$0.key] == nil }.map(\.value)
            pollers.byName = next
            return (started, stopped)
        }
        guard let (started, stopped) = changed else { return }
        stopped.forEach { $0.stop() }
        state.shard = configuration.shardMetrics
        let keys = pollers.withLock { Set($0.byName.values.flatMap(\.listingKeys)) }
        state.retain(only: keys)
        started.forEach { $0.start() }
        if !started.isEmpty || !stopped.isEmpty {
            logger.info(
                "pollers updated",
                metadata: [
                    "started": "\(started.map(\.target.name).sorted().joined(separator: ","))",
                    "stopped": "\(stopped.map(\.target.name).sorted().joined(separator: ","))",
                ].merging(configuration.shardLogMetadata) { own, _ in own })
        }
    }

    /// Stops every poller (their threads end after the request under way).
    package func stopAll() {
        let all = pollers.withLock { pollers -> [CMPoller] in
            pollers.stopped = true
            defer { pollers.byName = [:] }
            return Array(pollers.byName.values)
        }
        all.forEach { $0.stop() }
    }
}
