/// A listing's descriptor, scope patterns and custom statuses: what turns a
/// ``SimulatedJob`` into text.
struct JobVocabulary: Sendable {
    let listing: ListingDescriptor
    let patterns: [ScopePattern]
    let customStatuses: [String]

    func status(of job: SimulatedJob, at now: Double) -> String {
        Self.status(of: job, at: now, listing: listing, customStatuses: customStatuses)
    }

    static func status(
        of job: SimulatedJob, at now: Double, listing: ListingDescriptor, customStatuses: [String]
    ) -> String {
        guard job.isFinished(at: now) else { return "in_progress" }
        switch job.outcome {
        case .completed, .running: return "completed"
        case .failed: return "failed"
        case .aborted: return listing.cancelledStatus
        case .custom: return customStatuses[Int(job.customStatus)]
        }
    }
}
