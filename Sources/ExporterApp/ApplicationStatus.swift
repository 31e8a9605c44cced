import Foundation
import Polling
import StatusPages

/// The running exporter as the HTTP side sees it: readiness, the status page's data, reload.
final class ApplicationStatus: ExporterStatus {
    private let state: ExporterState
    private let reloadAction: @Sendable () -> Result<Void, ReloadFailure>
    private let startTime = Date().timeIntervalSince1970

    init(state: ExporterState, reload: @escaping @Sendable () -> Result<Void, ReloadFailure>) {
        self.state = state
        self.reloadAction = reload
    }

    var isReady: Bool { state.isReady }

    /// Built on demand (the page is not scraped): listings under the state lock, then the
    /// journal's polls under its own.
    func statusPage() -> StatusPage {
        var listings = state.listingStatuses()
        for index in listings.indices {
            listings[index].recentPolls = state.journal.recentPolls(listings[index].key)
        }
        return StatusPage(
            version: BuildVersion.version, startTime: startTime, listings: listings, shard: state.shard)
    }

    func reload() -> Result<Void, ReloadFailure> { reloadAction() }
}
