import CMWire
import JobMetrics
import TextFormats

/// The client of one CipherTrust Manager: logs in (through its ``TokenProvider``), reads the
/// synchronization-job listings page by page, and fetches single jobs (a whole listing in one
/// go: ``listJobs(_:filters:deadline:onPage:)``, with ``CompleteWalk``).
///
/// Every call is blocking and bounded by a deadline (the poll's budget, `--poll.timeout`);
/// one poller thread per CM uses it. Each HTTP request sent is reported once to `onRequest`
/// (login requests as ``APIEndpoint/auth``, listing and job requests as
/// ``APIEndpoint/syncJobs``) with its status code as text, or `error` when no answer came.
public final class CMClient: Sendable {
    /// The CM's URL without a trailing slash, e.g. `https://cm.example.com`.
    public let baseURL: String
    /// The `limit` asked for on every page.
    public let pageSize: Int
    /// Logs in and renews; shared by every listing of this CM.
    public let tokens: TokenProvider
    private let sender: RequestSender
    private let secrets: [String]

    /// The API root that listing paths follow.
    static let listingRoot = "/api/v1/cckm/"

    /// - Parameters:
    ///   - files: the credential files re-read when they change (rotation in place).
    ///   - loginRetryInterval: the least time between two refused logins (the poll interval).
    ///   - onCredentialEvent: told when credential files were re-read or a login was refused.
    ///   - now: the monotonic clock token renewal is measured on (the poller's).
    public init(
        baseURL: String, credentials: CMCredentials, transport: HTTPTransport,
        pageSize: Int = 500, retryPolicy: RetryPolicy = RetryPolicy(),
        files: CredentialFiles = CredentialFiles(), loginRetryInterval: Duration = .zero,
        onCredentialEvent: @escaping @Sendable (CredentialEvent) -> Void = { _ in },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        onRequest: @escaping @Sendable (APIEndpoint, String) -> Void
    ) {
        self.baseURL = Self.normalized(baseURL)
        self.pageSize = max(1, pageSize)
        self.sender = RequestSender(
            transports: TransportSlot(transport), baseURL: self.baseURL, retryPolicy: retryPolicy,
            onRequest: onRequest)
        self.tokens = TokenProvider(
            sender: sender, credentials: credentials, files: files,
            loginRetryInterval: loginRetryInterval, onEvent: onCredentialEvent, now: now)
        self.secrets = credentials.secrets
    }

    /// One page of `listing` (newest first): `limit` jobs from `skip`, matching `filters`.
    /// For walks that stop early (incremental polling, ``IncrementalLister``); `sent` grows by
    /// the requests sent, logins and retries included.
    public func listPage(
        _ listing: Listing, skip: Int, limit: Int, filters: [(String, String)] = [],
        deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> JobPage {
        let query =
            [("skip", String(skip)), ("limit", String(max(1, limit))), ("sort", "-createdAt")]
            + filters
        let target = Self.listingRoot + listing.path + "?" + PercentEncoding.query(query)
        let response = try authorizedGET(target, deadline: deadline, sent: &sent)
        guard response.status == 200 else { throw failure(response, target: target) }
        do {
            return try JobPageDecoder.decodePage(response.body)
        } catch {
            throw scrubbed(CMError(reason: .decode, message: "GET \(target): \(error.message)"))
        }
    }

    /// One job of `listing` by id (`GET …/{id}`), or nil when CM answers 404; `sent` grows by
    /// the requests sent, logins and retries included.
    public func job(
        _ listing: Listing, id: String, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> SyncJob? {
        let target = Self.listingRoot + listing.path + "/" + PercentEncoding.escape(id)
        let response = try authorizedGET(target, deadline: deadline, sent: &sent)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, target: target) }
        do {
            return try JobPageDecoder.decodeJob(response.body)
        } catch {
            throw scrubbed(CMError(reason: .decode, message: "GET \(target): \(error.message)"))
        }
    }

    /// A GET with the bearer token; on a 401 the token is renewed once and the request sent
    /// again. Returns the final answer whatever its status.
    private func authorizedGET(
        _ target: String, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> HTTPTransport.Response {
        var renewed = false
        while true {
            let jwt = try tokens.token(deadline: deadline, sent: &sent)
            let request = CMRequest(
                endpoint: .syncJobs, method: "GET", target: target,
                headers: ["Authorization: Bearer \(jwt)", "Accept: application/json"])
            let response: HTTPTransport.Response
            do {
                response = try sender.send(request, deadline: deadline, sent: &sent)
            } catch {
                throw scrubbed(error, also: jwt)
            }
            guard response.status == 401, !renewed else { return response }
            tokens.invalidate()
            renewed = true
        }
    }

    /// The error for an unexpected status: 401 (after renewal) and 403 are `auth`, the rest `http`.
    private func failure(_ response: HTTPTransport.Response, target: String) -> CMError {
        let reason: PollErrorReason =
            response.status == 401 || response.status == 403 ? .auth : .http
        var error = scrubbed(
            CMError.status(
                response.status, body: response.body, request: "GET \(target)", reason: reason))
        error.retryAfterSeconds = response.retryAfterSeconds
        return error
    }

    /// `error` without any secret this client knows (server text may echo what it was sent).
    private func scrubbed(_ error: CMError, also jwt: String? = nil) -> CMError {
        error.scrubbing(secrets + tokens.secretsInUse + [jwt].compactMap { $0 })
    }

    /// `https://cm.example.com/` → `https://cm.example.com`.
    static func normalized(_ baseURL: String) -> String {
        var url = Substring(baseURL)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
