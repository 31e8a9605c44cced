import CCKMSimulator

@testable import Polling

extension PollerOnSimulator {
    /// Stops the simulator's life (no new jobs, no purges, no faults), polls every 30 s for 11
    /// minutes (a consistency check and the polls after it), and returns how the metrics
    /// differ from the simulator's ground truth then (empty: equal).
    func differencesAfterQuiet() throws -> [String] {
        try simulator.updateLife(LifeSettings())
        var settings = simulator.settings()
        settings.newJobIntervalSeconds = 0
        try simulator.updateSettings(settings)
        for _ in 0..<22 {
            advance(seconds: 30)
            poll()
        }
        return LivingCMComparison.differences(
            state.snapshot().listings[0], try simulator.truth(listing: "aws"))
    }
}
