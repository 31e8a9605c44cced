/// Where life (``LifeSettings``) meets a request: the simulated time it takes, the outage or
/// 5xx it may get instead of its answer.
extension SimulatorCore {
    /// Advances a ``ManualClock`` by ``LifeSettings/requestSeconds`` for one API request.
    func advanceRequestTime() {
        guard let manual = clock as? ManualClock else { return }
        let seconds = state.withLock { $0.life.settings.requestSeconds }
        if seconds > 0 { manual.advance(by: seconds) }
    }
}

extension SimulatorState {
    /// The failure life gives a sync-job request at `now`, as a one-use fault: the outage in
    /// force, or a 5xx drawn for a listing page.
    mutating func lifeFault(_ route: APIRoute, now: Double) -> Fault? {
        let listingPage: Bool
        switch route {
        case .list: listingPage = true
        case .get, .start, .cancel: listingPage = false
        case .login, .methodNotAllowed, .notFound: return nil
        }
        return life.failure(at: now, listingPage: listingPage).map { Fault(status: $0) }
    }
}
