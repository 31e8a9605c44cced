import HTTPServer
import Synchronization

/// Rendered status pages (`/`, `/debug?…`) kept for the rest of the current second: the pages
/// show ages to the second, so a client looping on `/` gets copies, and a page is rendered at
/// most once a second per query instead of once per request on a libmicrohttpd worker that
/// scrapes need. Bounded: at most ``capacity`` queries (the query is the client's to choose).
final class StatusPageCache: Sendable {
    static let capacity = 32

    private struct State {
        var second = Int.min
        var pages: [String: HTTPResponse] = [:]
    }

    private let state = Mutex(State())

    /// The page for `key` rendered during second `now`, rendering it with `render` if needed
    /// (outside the lock: a slow render holds up no other request).
    func response(key: String, now: Double, render: () -> HTTPResponse) -> HTTPResponse {
        let second = Int(now.rounded(.down))
        let cached = state.withLock { state -> HTTPResponse? in
            if state.second != second {
                state.second = second
                state.pages = [:]
            }
            return state.pages[key]
        }
        if let cached { return cached }
        let response = render()
        state.withLock { state in
            guard state.second == second else { return }
            if state.pages.count >= Self.capacity { state.pages = [:] }
            state.pages[key] = response
        }
        return response
    }
}
