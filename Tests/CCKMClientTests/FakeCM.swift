import Foundation
import HTTPServer
import Synchronization

/// A scripted CipherTrust Manager on a loopback socket, for the client's edge cases that the
/// simulator does not script: lying totals, repeated pages, answers cut short, slow answers.
///
/// It logs every request so tests can count what really reached the server.
final class FakeCM: Sendable {
    /// One thing to do instead of serving a listing or job request normally (FIFO).
    enum Fault: Sendable {
        case status(Int, retryAfter: Int? = nil)
        case body(String)
        case sleep(Double)
    }

    /// How the listing pages are cut.
    enum Paging: Sendable, Equatable {
        case honest
        /// Claims this `total` whatever the real count.
        case lyingTotal(Int)
        /// Serves the first page for every `skip`.
        case ignoresSkip
        /// Serves at most this many jobs per page, whatever `limit` asked.
        case capsLimit(Int)
        /// Sends no `total`.
        case noTotal
    }

    struct Entry: Sendable {
        var method: String
        var path: String
        var query: [HTTPRequest.QueryItem]
        var authorization: String?
        var body: String
        var status: Int
        var at: ContinuousClock.Instant
    }

    struct State: Sendable {
        var username = "metrics"
        var password = "s3cret-Pa55"
        var refreshTokens: Set<String> = []
        var tokenLifetime: Double = 300
        /// False: every listing request meets a 401, however fresh its token.
        var acceptsTokens = true
        var tokens: [String: ContinuousClock.Instant] = [:]
        var issued = 0
        /// Job objects as JSON text, newest first.
        var jobs: [String] = []
        var paging = Paging.honest
        var faults: [Fault] = []
        /// Jobs put on top of the listing right after the listing page with this index (0-based).
        var insertAfterPage: [Int: [String]] = [:]
        /// Every token dies right after the listing page with this index (0-based).
        var expireTokensAfterPage: Set<Int> = []
        var pagesServed = 0
        var log: [Entry] = []
    }

    /// The state the server's threads and the test share.
    final class Store: Sendable {
        let state: Mutex<State>
        init(_ state: State) { self.state = Mutex(state) }
    }

    let store: Store
    private let server: HTTPServer
    let baseURL: String

    init(_ configure: (inout State) -> Void = { _ in }) throws {
        var initial = State()
        configure(&initial)
        let store = Store(initial)
        self.store = store
        server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0, threads: 4)
        ) { request in
            FakeCM.answer(request, store)
        }
        baseURL = "http://127.0.0.1:\(server.port)"
    }

    func shutdown() { server.shutdown(gracePeriod: .milliseconds(200)) }

    func update(_ change: (inout State) -> Void) { store.state.withLock { change(&$0) } }

    var log: [Entry] { store.state.withLock { $0.log } }
    var logins: [Entry] { log.filter { $0.path == "/api/v1/auth/tokens" } }
    var listings: [Entry] { log.filter { $0.path.hasPrefix("/api/v1/cckm/") } }

    /// Expires every token issued so far (as if their lifetime had passed).
    func expireTokens() { update { $0.tokens = [:] } }

    private static func answer(_ request: HTTPRequest, _ store: Store) -> HTTPResponse {
        let now = ContinuousClock.now
        var sleep = 0.0
        let response = store.state.withLock { state -> HTTPResponse in
            let response =
                request.path == "/api/v1/auth/tokens"
                ? login(request, &state, now)
                : api(request, &state, now, sleep: &sleep)
            state.log.append(
                Entry(
                    method: request.method, path: request.path, query: request.query,
                    authorization: request.header("Authorization"),
                    body: String(decoding: request.body, as: UTF8.self), status: response.status,
                    at: now))
            return response
        }
        if sleep > 0 { Thread.sleep(forTimeInterval: sleep) }
        return response
    }

    static func cmError(_ status: Int, _ codeDesc: String, _ message: String) -> HTTPResponse {
        .json(
            status,
            Array(
                #"{"code":5,"codeDesc":"\#(codeDesc)","message":"\#(message)","requestID":"r-1"}"#
                    .utf8))
    }
}
