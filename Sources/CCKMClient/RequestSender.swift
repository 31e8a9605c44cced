import Foundation
import JobMetrics

/// One request to CipherTrust Manager, relative to its base URL.
struct CMRequest {
    var endpoint: APIEndpoint
    var method: String
    /// Path and query, e.g. `/api/v1/cckm/aws/synchronization-jobs?skip=0&limit=500`.
    var target: String
    var headers: [String] = []
    var body: [UInt8]? = nil
    /// Names the request in error messages (method and path; never headers or body).
    var label: String

    init(
        endpoint: APIEndpoint, method: String, target: String, headers: [String] = [],
        body: [UInt8]? = nil, label: String? = nil
    ) {
        self.endpoint = endpoint
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.label = label ?? "\(method) \(target)"
    }
}

/// Sends requests with the poll's deadline and the retry policy, and reports each attempt
/// to the `onRequest` hook exactly once (its status code as text, or `error`).
///
/// Returns the final HTTP answer whatever its status, so callers decide what a status means;
/// throws only when no answer came (or the deadline left no time to ask).
struct RequestSender: Sendable {
    /// The transport, replaced after a client certificate rotation (``TransportSlot``).
    let transports: TransportSlot
    /// `https://cm.example.com`, without a trailing slash.
    let baseURL: String
    let retryPolicy: RetryPolicy
    let onRequest: @Sendable (APIEndpoint, String) -> Void

    /// Sends `request`, retrying 429/5xx answers and timeouts while the policy and `deadline`
    /// allow. `sent` grows by the number of requests that went out.
    func send(
        _ request: CMRequest, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> HTTPTransport.Response {
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - .now
            guard remaining > .zero else { throw CMError.deadline(request: request.label) }
            let transport = transports.current
            do {
                let response = try transport.send(
                    method: request.method, url: baseURL + request.target,
                    headers: request.headers, body: request.body,
                    timeout: min(transport.settings.requestTimeout, remaining))
                sent += 1
                onRequest(request.endpoint, String(response.status))
                guard RetryPolicy.isRetryable(status: response.status) else { return response }
                guard let wait = nextWait(attempt, response.retryAfterSeconds, deadline) else {
                    return response
                }
                Thread.sleep(forTimeInterval: wait / .seconds(1))
            } catch {
                sent += 1
                onRequest(request.endpoint, "error")
                let failure = CMError.transport(error, request: request.label)
                guard error.kind == .timeout, let wait = nextWait(attempt, nil, deadline) else {
                    throw failure
                }
                Thread.sleep(forTimeInterval: wait / .seconds(1))
            }
        }
    }

    private func nextWait(
        _ attempt: Int, _ retryAfterSeconds: Int?, _ deadline: ContinuousClock.Instant
    ) -> Duration? {
        retryPolicy.wait(
            afterAttempt: attempt, retryAfterSeconds: retryAfterSeconds,
            remaining: deadline - .now)
    }
}
