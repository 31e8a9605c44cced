import MetricsServer

/// The running exporter as the HTTP side sees it: readiness, landing page, reload.
final class ApplicationStatus: ExporterStatus {
    private let state: ExporterState
    private let reloadAction: @Sendable () -> Result<Void, ReloadFailure>

    init(state: ExporterState, reload: @escaping @Sendable () -> Result<Void, ReloadFailure>) {
        self.state = state
        self.reloadAction = reload
    }

    var isReady: Bool { state.isReady }

    func landingPage() -> LandingPage {
        LandingPage(version: BuildVersion.version, listings: state.landingLines())
    }

    func reload() -> Result<Void, ReloadFailure> { reloadAction() }
}
