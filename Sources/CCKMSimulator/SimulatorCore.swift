import Foundation
import HTTPServer
import Synchronization

/// The simulator behind the HTTP server: configuration, clock and the locked state, shared
/// by the API handlers (`/api/…`), the admin handlers (`/sim/…`) and the library API.
final class SimulatorCore: Sendable {
    let configuration: SimulatorConfiguration
    let clock: any SimulatorClock
    let state: Mutex<SimulatorState>

    init(configuration: SimulatorConfiguration, clock: any SimulatorClock) {
        self.configuration = configuration
        self.clock = clock
        state = Mutex(SimulatorState(configuration: configuration, now: clock.now()))
    }

    /// The server's handler: admin requests under `/sim/`, everything else is the API.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        if request.path == "/sim" || request.path.hasPrefix("/sim/") {
            return handleAdmin(request)
        }
        return handleAPI(request)
    }

    /// Runs `body` on the state after starting the random jobs due by now.
    func withCurrentState<T, Failure: Error>(
        _ body: (inout SimulatorState, Double) throws(Failure) -> T
    ) throws(Failure) -> T {
        let now = clock.now()
        return try state.withLock { (state) throws(Failure) -> T in
            state.catchUp(to: now)
            return try body(&state, now)
        }
    }

    /// The API: count, apply a fault if one is queued, then serve for real.
    private func handleAPI(_ request: HTTPRequest) -> HTTPResponse {
        let route = APIRoute(
            method: request.method, path: request.path, listings: configuration.listings)
        let query = route.listing.flatMap { SimulatorListings.descriptor(named: $0) }.flatMap {
            try? JobQuery(request: request, listing: $0, maxPageSize: configuration.maxPageSize)
        }
        let page: Int? = {
            guard case .list = route, let query else { return nil }
            return query.skip / max(1, query.limit) + 1
        }()
        advanceRequestTime()
        let fault = withCurrentState { state, now in
            state.stats.count(route.statsKey)
            if case .list(let listing) = route, let query {
                state.stats.count(ListingRequestShape(listing: listing, query: query))
            }
            let fault =
                state.faults.take(kind: route.faultKind, listing: route.listing, page: page)
                ?? state.lifeFault(route, now: now)
            if fault != nil { state.stats.faultsApplied += 1 }
            return fault
        }
        guard let fault else { return serve(route, request) }
        if fault.delayMilliseconds > 0 {
            Thread.sleep(forTimeInterval: Double(fault.delayMilliseconds) / 1000)
        }
        var response =
            fault.status.map { APIError.injected(status: $0).response() }
            ?? serve(route, request, shaping: fault)
        if let seconds = fault.retryAfterSeconds {
            response.headers.append(("Retry-After", String(seconds)))
        }
        if let body = fault.body { response.body = Array(body.utf8) }
        if fault.truncate { response.body = Array(response.body.prefix(response.body.count / 2)) }
        if fault.invalidJSON { response.body = Array(#"{"skip":0,"resources":[{"id":,]"#.utf8) }
        return response
    }

    private func serve(_ route: APIRoute, _ request: HTTPRequest, shaping fault: Fault? = nil)
        -> HTTPResponse
    {
        do {
            switch route {
            case .login: return try login(request)
            case .list(let listing): return try list(listing, request, shaping: fault)
            case .get(let listing, let id): return try get(listing, id: id, request)
            case .start(let listing): return try start(listing, request)
            case .cancel(let listing, let id): return try cancel(listing, id: id, request)
            case .methodNotAllowed(let allow, _):
                return APIError.methodNotAllowed(request.method).response(
                    extraHeaders: [("Allow", allow)])
            case .notFound:
                return APIError.notFound("Resource not found: \(request.path)").response()
            }
        } catch {
            return error.response()
        }
    }
}
