import Foundation
import HTTPServer

/// The CipherTrust Manager job API: listings, get, start and cancel (login: LoginHandler).
extension SimulatorCore {
    /// `GET …/synchronization-jobs`, shaped by a fault's page effects when one applies.
    func list(_ listing: String, _ request: HTTPRequest, shaping fault: Fault?) throws(APIError)
        -> HTTPResponse
    {
        let descriptor = try descriptor(listing)
        let parsed = Result { () throws(APIError) in
            try JobQuery(
                request: request, listing: descriptor, maxPageSize: configuration.maxPageSize)
        }
        let behaviour = configuration.behaviour
        if behaviour.pageLatencySeconds > 0 {
            // Real time, as a slow CM costs the client: not the simulated clock.
            Thread.sleep(forTimeInterval: behaviour.pageLatencySeconds)
        }
        let (page, vocabulary, now) = try authorized(request) { (state, now) throws(APIError) in
            let asked = try parsed.get()
            let query = behaviour.reading(asked, sortGiven: asked.sortGiven)
            for _ in 0..<(fault?.insertOnPage == nil ? 0 : fault?.insertCount ?? 0) {
                state.stores[listing]!.appendRandomJob(createdAt: now, settings: state.settings)
            }
            var effective = query
            if fault?.repeatPage == true { effective.skip = max(0, query.skip - query.limit) }
            if fault?.ignoresSkip == true { effective.skip = 0 }
            let (store, then) = state.route(listing, cluster: behaviour.cluster, now: now)
            var page = store.page(effective, at: then)
            page.skip = query.skip
            if let cap = behaviour.pages.silentCap { page.jobs = Array(page.jobs.prefix(cap)) }
            if fault?.emptyPageEarly == true { page.jobs = [] }
            return (page, store.vocabulary, then)
        }
        let renderer = JobRenderer(vocabulary: vocabulary, now: now)
        return .json(
            200,
            renderer.page(
                page, totalExtra: fault?.totalLies ?? 0, withTotal: fault?.omitTotal != true,
                empty: behaviour.pages.emptyPage))
    }

    /// `GET …/synchronization-jobs/{id}`: the bare job.
    func get(_ listing: String, id: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        _ = try descriptor(listing)
        let behaviour = configuration.behaviour
        let (job, vocabulary, now) = try authorized(request) { (state, now) throws(APIError) in
            let (store, then) = state.route(listing, cluster: behaviour.cluster, now: now)
            guard let index = JobID(id).flatMap(store.index(of:)) else { throw unknownJob(id) }
            return (store.jobs[index], store.vocabulary, then)
        }
        return .json(200, JobRenderer(vocabulary: vocabulary, now: now).job(job))
    }

    /// `POST …/synchronization-jobs`: starts a job for the body's scope (all when none), 201.
    func start(_ listing: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let descriptor = try descriptor(listing)
        let body = Result { () throws(APIError) in try JSONBody(request.body, allowEmpty: true) }
        let (job, vocabulary, now) = try authorized(request) { (state, now) throws(APIError) in
            let body = try body.get()
            var scope: [String: [String]] = [:]
            for key in descriptor.scopeFilterKeys {
                if let values = try body.strings(key) { scope[key] = values }
            }
            _ = try body.bool("synchronize_all")
            let index = state.stores[listing]!.start(
                scope: scope, settings: state.settings, now: now)
            let store = state.stores[listing]!
            return (store.jobs[index], store.vocabulary, now)
        }
        return .json(201, JobRenderer(vocabulary: vocabulary, now: now).job(job))
    }

    /// `POST …/synchronization-jobs/{id}/cancel`: sets `abort`; the job ends shortly after.
    func cancel(_ listing: String, id: String, _ request: HTTPRequest) throws(APIError)
        -> HTTPResponse
    {
        _ = try descriptor(listing)
        let (job, vocabulary, now) = try authorized(request) { (state, now) throws(APIError) in
            guard let jobID = JobID(id), let index = state.stores[listing]!.index(of: jobID) else {
                throw .notFound("Synchronization job \(id) not found")
            }
            let settings = state.settings
            guard state.stores[listing]!.cancel(jobID, settings: settings, now: now) == true else {
                throw .conflict("Synchronization job \(id) is not in progress")
            }
            let store = state.stores[listing]!
            return (store.jobs[index], store.vocabulary, now)
        }
        return .json(200, JobRenderer(vocabulary: vocabulary, now: now).job(job))
    }

    /// Checks the bearer token (counting a 401), then runs `body` on the current state.
    private func authorized<T>(
        _ request: HTTPRequest, _ body: (inout SimulatorState, Double) throws(APIError) -> T
    ) throws(APIError) -> T {
        try withCurrentState { (state, now) throws(APIError) in
            do throws(APIError) {
                try state.tokens.authorize(request.header("authorization"), now: now)
            } catch {
                state.stats.unauthorizedRequests += 1
                throw error
            }
            return try body(&state, now)
        }
    }

    private func descriptor(_ listing: String) throws(APIError) -> ListingDescriptor {
        guard let descriptor = SimulatorListings.descriptor(named: listing) else {
            throw .notFound("Resource not found")
        }
        return descriptor
    }
}
