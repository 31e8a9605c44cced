/// Jobs deleted on CM, and what `GET …/{id}` answers for them afterwards
/// (``APIBehaviour/unknownJobStatus``, `APIError.unknownJob(_:status:)`).
extension CCKMSimulator {
    /// Deletes the job `id` of `listing`, running or not, as a user deleting it on CM does.
    /// Throws ``SimulatorError`` for an unknown listing or id.
    public func deleteJob(listing: String, id: String) throws(SimulatorError) {
        try core.requireListing(listing)
        let deleted = core.withCurrentState { state, now in
            guard let index = JobID(id).flatMap(state.stores[listing]!.index(of:)) else { return false }
            return !state.removeJobs(listing, at: [index], now: now).isEmpty
        }
        if !deleted { throw SimulatorError("no job \(id) in listing \(listing)") }
    }
}
