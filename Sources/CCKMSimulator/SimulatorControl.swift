/// The control operations shared by the library API (``CCKMSimulator``) and `/sim/…`.
extension SimulatorCore {
    func insertJob(
        listing: String, outcome: JobOutcome, entries: [String], durationSeconds: Double,
        completedAt style: CompletedAtStyle?, startedSecondsAgo: Double = 0
    ) throws(SimulatorError) -> String {
        try requireListing(listing)
        guard durationSeconds >= 0, durationSeconds.isFinite else {
            throw SimulatorError("duration_seconds: must be 0 or more")
        }
        guard startedSecondsAgo >= 0, startedSecondsAgo.isFinite else {
            throw SimulatorError("started_seconds_ago: must be 0 or more")
        }
        if case .status(let text) = outcome, text.isEmpty {
            throw SimulatorError("outcome: must not be empty")
        }
        let id = withCurrentState { state, now in
            state.stores[listing]!.insert(
                outcome: outcome, entries: entries, duration: durationSeconds, style: style,
                settings: state.settings, now: now, startedSecondsAgo: startedSecondsAgo)
        }
        return id.string
    }

    func injectFault(_ fault: Fault) throws(SimulatorError) {
        if let listing = fault.listing { try requireListing(listing) }
        guard fault.count >= 0 else {
            throw SimulatorError("count: must be 0 (until cleared) or more")
        }
        if let status = fault.status, !(100...599).contains(status) {
            throw SimulatorError("status: must be an HTTP status (100…599)")
        }
        guard fault.delayMilliseconds >= 0 else {
            throw SimulatorError("delay_ms: must not be negative")
        }
        if let page = fault.page, page < 1 {
            throw SimulatorError("page: pages count from 1")
        }
        if let page = fault.insertOnPage, page < 1 {
            throw SimulatorError("insert_on_page: pages count from 1")
        }
        guard fault.insertCount >= 0 else {
            throw SimulatorError("insert_count: must not be negative")
        }
        withCurrentState { state, _ in state.faults.add(fault) }
    }

    func clearFaults() {
        withCurrentState { state, _ in state.faults.clear() }
    }

    func reset() {
        let now = clock.now()
        state.withLock { $0.reset(configuration: configuration, now: now) }
    }

    func stats() -> SimulatorStats {
        withCurrentState { state, _ in state.currentStats }
    }

    func settings() -> SimulatorSettings {
        state.withLock { $0.settings }
    }

    func updateSettings(_ settings: SimulatorSettings) throws(SimulatorError) {
        try settings.validate()
        withCurrentState { state, _ in state.settings = settings }
    }

    func expireTokens() {
        withCurrentState { state, now in state.tokens.expireAll(now: now) }
    }

    func requireListing(_ listing: String) throws(SimulatorError) {
        guard configuration.listings.contains(listing) else {
            throw SimulatorError(
                "listing: \"\(listing)\" is not served (served: \(configuration.listings.joined(separator: ", ")))"
            )
        }
    }
}
