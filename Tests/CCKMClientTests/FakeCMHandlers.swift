import Foundation
import HTTPServer

extension FakeCM {
    /// `POST /api/v1/auth/tokens`: password and refresh-token grants.
    static func login(_ request: HTTPRequest, _ state: inout State, _ now: ContinuousClock.Instant)
        -> HTTPResponse
    {
        guard request.method == "POST",
            let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        else { return cmError(400, "NCERRBadRequest", "body is not a JSON object") }
        let accepted: Bool
        switch body["grant_type"] as? String {
        case "password":
            accepted =
                body["username"] as? String == state.username
                && body["password"] as? String == state.password
        case "refresh_token":
            accepted = (body["refresh_token"] as? String).map(state.refreshTokens.contains) ?? false
        default:
            return cmError(400, "NCERRBadRequest", "unsupported grant_type")
        }
        guard accepted else {
            return cmError(401, "NCERRUnauthorizedAccess", "Invalid user credentials")
        }
        state.issued += 1
        let jwt = "jwt-\(state.issued)"
        state.tokens[jwt] = now + .milliseconds(Int64(state.tokenLifetime * 1000))
        var answer = #"{"jwt":"\#(jwt)","duration":\#(state.tokenLifetime),"token_type":"Bearer""#
        if body["grant_type"] as? String == "password" {
            let refresh = "refresh-\(state.issued)"
            state.refreshTokens.insert(refresh)
            answer += #","refresh_token":"\#(refresh)""#
        }
        return .json(200, Array((answer + "}").utf8))
    }

    /// `GET /api/v1/cckm/…/synchronization-jobs[/{id}]`, after the bearer check and faults.
    static func api(
        _ request: HTTPRequest, _ state: inout State, _ now: ContinuousClock.Instant,
        sleep: inout Double
    ) -> HTTPResponse {
        let bearer = request.header("Authorization").flatMap { header in
            header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : nil
        }
        guard state.acceptsTokens, let bearer, let expiry = state.tokens[bearer], now < expiry
        else {
            return cmError(401, "NCERRUnauthorizedAccess", "Token is expired by 1s")
        }
        if !state.faults.isEmpty {
            switch state.faults.removeFirst() {
            case .status(let status, let retryAfter):
                var response = cmError(status, "NCERRInternalServerError", "try again later")
                if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
                return response
            case .body(let text):
                return .json(200, Array(text.utf8))
            case .sleep(let seconds):
                sleep = seconds
            }
        }
        let suffix = "synchronization-jobs"
        if request.path.hasSuffix(suffix) { return page(request, &state) }
        let id = String(request.path.split(separator: "/").last ?? "")
        guard let job = state.jobs.first(where: { $0.contains(#""id":"\#(id)""#) }) else {
            return cmError(404, "NCERRResourceNotFound", "Resource not found")
        }
        return .json(200, Array(job.utf8))
    }

    private static func page(_ request: HTTPRequest, _ state: inout State) -> HTTPResponse {
        var skip = request.queryValue("skip").flatMap(Int.init) ?? 0
        var limit = request.queryValue("limit").flatMap(Int.init) ?? 10
        var total: Int? = state.jobs.count
        switch state.paging {
        case .honest: break
        case .lyingTotal(let claimed): total = claimed
        case .ignoresSkip: skip = 0
        case .capsLimit(let cap): limit = min(limit, cap)
        case .noTotal: total = nil
        }
        let slice = state.jobs.dropFirst(skip).prefix(limit)
        var body = #"{"skip":\#(skip),"limit":\#(limit),"#
        if let total { body += #""total":\#(total),"# }
        body += #""resources":[\#(slice.joined(separator: ","))]}"#
        if let inserted = state.insertAfterPage[state.pagesServed] {
            state.jobs.insert(contentsOf: inserted, at: 0)
        }
        if state.expireTokensAfterPage.contains(state.pagesServed) { state.tokens = [:] }
        state.pagesServed += 1
        return .json(200, Array(body.utf8))
    }

    /// A job object as CM lists it; `n` orders creation (higher is newer).
    static func job(
        _ id: String, n: Int, status: String = "completed", createdAt: String? = nil
    ) -> String {
        let clock = [n / 3600 % 24, n / 60 % 60, n % 60].map(twoDigits).joined(separator: ":")
        let created = createdAt ?? "2024-05-01T\(clock).5Z"
        return #"""
            {"id":"\#(id)","uri":"kylo:kylo:cckm:synchronize:\#(id)","createdAt":"\#(created)",\#
            "completed_at":"2024-05-02T00:00:00Z","overall_status":"\#(status)",\#
            "detailed_status":{"123456789012/us-east-1":"region synchronized successfully"},\#
            "cloud":"aws","kms":["kms"],"abort":false}
            """#
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    /// `count` jobs `job-<count-1>` … `job-0`, newest first.
    static func jobs(_ count: Int, prefix: String = "job") -> [String] {
        (0..<count).reversed().map { job("\(prefix)-\($0)", n: $0) }
    }
}
