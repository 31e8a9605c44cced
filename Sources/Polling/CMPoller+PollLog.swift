import CCKMClient
import CMWire
import Foundation
import JobMetrics
import Logging

/// What the poller records and logs of each poll's outcome: a failure, the limits reached,
/// skipped jobs and the reads of single jobs; and the listing's state changes (first success,
/// failing, recovered), said once and not on every poll while the state holds.
extension CMPoller {
    func record(failure error: CMError, key: ListingKey, started: ContinuousClock.Instant) {
        if let limit = error.limitReached {
            state.countLimits([limit], key: key, owner: owner)
            logLimits([limit], cloud: key.cloud)
        }
        let duration = (clock.now() - started) / .seconds(1)
        state.recordFailure(
            key, owner: owner, reason: error.reason, message: error.message, duration: duration,
            end: clock.wallTime())
        logger.debug(
            "poll failed",
            metadata: [
                "cloud": "\(key.cloud)", "reason": "\(error.reason.rawValue)", "err": "\(error.message)",
            ])
    }

    /// One line per poll in which limits on what CM data may cost bit.
    func logLimits(_ reached: Set<ListingLimit>?, cloud: String) {
        guard let reached, !reached.isEmpty else { return }
        let names = reached.sorted().map(\.rawValue)
        logger.warning(
            "limit reached",
            metadata: [
                "cloud": "\(cloud)", "limit": "\(names.joined(separator: ","))",
                "limits": "\(describe(reached.sorted()))",
            ])
    }

    private func describe(_ limits: [ListingLimit]) -> String {
        limits.map { limit in
            switch limit {
            case .statuses: "statuses=\(self.limits.listing.statuses) (new ones fold into other)"
            case .regionSeries: "region_series=\(self.limits.listing.regionSeries)"
            case .jobs: "jobs=\(self.limits.listing.jobs)"
            case .responseBytes: "response_bytes=\(self.limits.responseBytes)"
            }
        }.joined(separator: " ")
    }

    func logSkipped(_ invalid: [InvalidJob], cloud: String) {
        for skipped in invalid {
            logger.debug(
                "job skipped",
                metadata: [
                    "cloud": "\(cloud)", "reason": "\(skipped.reason.rawValue)",
                    "job_id": "\(skipped.id ?? "")",
                ])
        }
    }

    /// Logs state changes once, not on every poll while the state holds: the first success,
    /// failing (again when the reason changes, say from connect to auth), recovered.
    func logStateChange(_ listing: inout ListingPollState, failure: CMError?) {
        let cloud = listing.listing.name
        defer { if failure != nil || listing.hasBase { listing.lastFailure = .some(failure?.reason) } }
        switch (listing.lastFailure, failure) {
        case (nil, nil):
            if listing.hasBase { logger.info("first poll succeeded", metadata: ["cloud": "\(cloud)"]) }
        case (let previous, let failure?) where previous != .some(failure.reason):
            logger.warning(
                "poll failing",
                metadata: [
                    "cloud": "\(cloud)", "reason": "\(failure.reason.rawValue)", "err": "\(failure.message)",
                ])
        case (.some(.some(let reason)), nil):
            logger.info("poll recovered", metadata: ["cloud": "\(cloud)", "after": "\(reason.rawValue)"])
        default:
            break
        }
    }

    /// Logs and counts what happened to the reads of single jobs in a poll: a job's first
    /// failed read once, every failed read in `cckm_poll_errors_total`, the listing's decision.
    func note(_ events: [JobReadEvent], key: ListingKey) {
        for event in events {
            let metadata: Logger.Metadata = ["cloud": "\(key.cloud)", "job_id": "\(event.id)"]
            switch event.kind {
            case .failed(let error, let first):
                state.countJobReadError(key, owner: owner, reason: error.reason)
                if first {
                    logger.warning(
                        "job read failing: retried on the next polls, the rest of the listing goes on",
                        metadata: metadata.merging(
                            ["reason": "\(error.reason.rawValue)", "err": "\(error.message)"]) { a, _ in a })
                }
            case .gone:
                logger.info("job gone from the listing: its metrics leave", metadata: metadata)
            case .listingCopy:
                logger.info("job read from the listing instead", metadata: metadata)
            }
        }
    }
}
