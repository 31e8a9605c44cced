import CCKMClient
import ExporterConfig
import Foundation
import JobMetrics
import Logging

/// One CM's poller run poll by poll on a manual clock, so `cckm-bench` measures the poller's own
/// decisions (complete walks and requests per hour on a CM that keeps moving) in hours of
/// simulated time without waiting for them. The exporter itself never uses it.
public final class RehearsedPoller {
    private let clock = ManualPollerClock()
    private let poller: CMPoller
    private let log = LogRecorder()
    private var listing: ListingPollState

    /// A poller of `cloud` on the CM at `url`, with the exporter's defaults but for the
    /// intervals given.
    public init(
        url: String, username: String, password: String, cloud: String, pageSize: Int,
        pollInterval: Duration, fullResyncInterval: Duration
    ) {
        let state = ExporterState(
            build: BuildInfo(version: "bench", revision: "bench", swiftVersion: "6"))
        let log = self.log
        poller = CMPoller(
            target: TargetConfiguration(
                name: "bench", url: url, clouds: [cloud], pageSize: pageSize,
                auth: AuthConfiguration(username: username, password: Secret(password))),
            pollInterval: pollInterval, pollTimeout: .seconds(60), fullResyncInterval: fullResyncInterval,
            owner: 1, state: state, logger: Logger(label: "bench") { _ in log }, clock: clock)
        listing = poller.initialState(Listing.named(cloud)!)
    }

    /// Moves the poller's clock on by `seconds`, then runs the listing's due poll (with the
    /// consistency check when due, and any walk it starts to its end). Returns its error.
    @discardableResult
    public func poll(after seconds: Double) -> CMError? {
        clock.advance(by: .milliseconds(Int64(seconds * 1000)))
        return poller.poll(&listing)
    }

    /// Complete walks that ended so far, the first one included.
    public var completeWalks: Int { log.completeWalks.count }

    /// Why each complete walk ran, in order.
    public var walkReasons: [String] { log.completeWalks }
}
