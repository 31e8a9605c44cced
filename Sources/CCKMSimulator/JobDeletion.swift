/// Jobs deleted on CM, and what `GET …/{id}` answers for them afterwards
/// (``APIBehaviour/unknownJobStatus``).
extension CCKMSimulator {
    /// Deletes the job `id` of `listing`, running or not, as a user deleting it on CM does.
    /// Throws ``SimulatorError`` for an unknown listing or id.
    public func deleteJob(listing: String, id: String) throws(SimulatorError) {
        try core.requireListing(listing)
        // Through the life's removal, so the ground truth keeps a deleted finished job.
        let deleted = core.withCurrentState { state, now in
            guard let job = JobID(id), let index = state.stores[listing]!.index(of: job) else { return false }
            state.removeJobs(listing, at: [index], now: now)
            return true
        }
        if !deleted { throw SimulatorError("no job \(id) in listing \(listing)") }
    }
}

extension SimulatorCore {
    /// The answer to `GET …/{id}` for an id the listing does not hold.
    func unknownJob(_ id: String) -> APIError {
        let status = configuration.behaviour.unknownJobStatus
        return status == 404
            ? .notFound("Synchronization job \(id) not found")
            : APIError(
                status: status, code: 1, codeDesc: "NCERRInternalServerError", message: "unexpected error")
    }
}
