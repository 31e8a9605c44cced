import HTTPServer

/// `/sim/…`: control endpoints for scripts and out-of-process tests. Unauthenticated and not
/// counted in the stats; bodies are JSON with snake_case keys, and unknown keys are refused.
extension SimulatorCore {
    static let adminHelp = """
        cckm-simulator control endpoints (JSON bodies):
          POST   /sim/jobs            {"listing":"aws","outcome":"completed|failed|aborted|running|<status>",
                                       "regions":["us-east-1"],"duration_seconds":2,
                                       "completed_at":"zero_time|absent|null",
                                       "started_seconds_ago":0}                  -> 201 {"id":"…"}
          POST   /sim/faults          {"status":503,"count":5,"scope":"all|auth|listings","listing":"aws",
                                       "page":2,"delay_ms":0,"retry_after":2,"truncate":false,
                                       "invalid_json":false,"body":"<html>…","total_lies":0,
                                       "omit_total":false,"repeat_page":false,"ignore_skip":false,
                                       "empty_page_early":false,"insert_on_page":2,
                                       "insert_count":3}                         (count 0: until cleared)
          DELETE /sim/faults          drop queued faults
          GET    /sim/stats           requests by endpoint, logins by grant, …
          GET    /sim/settings        current settings
          POST   /sim/settings        {"token_lifetime_seconds":2,"new_job_interval_seconds":15,
                                       "region_seconds":3,"parallel_regions":2,"failure_rate":0.15,
                                       "abort_rate":0.1,"abort_delay_seconds":1,"running_completed_at":"…"}
          POST   /sim/tokens/expire   every issued JWT expires now
          POST   /sim/reset           fresh history, default settings, no faults, zero stats

        """ + lifeHelp

    func handleAdmin(_ request: HTTPRequest) -> HTTPResponse {
        let path =
            request.path.count > 4 && request.path.hasSuffix("/")
            ? String(request.path.dropLast()) : request.path
        do throws(APIError) {
            switch (request.method, path) {
            case ("GET", "/sim"), ("HEAD", "/sim"): return .text(200, Self.adminHelp)
            case ("POST", "/sim/jobs"): return try adminInsertJob(request)
            case ("POST", "/sim/faults"): return try adminInjectFault(request)
            case ("DELETE", "/sim/faults"):
                clearFaults()
                return HTTPResponse(status: 204)
            case ("GET", "/sim/stats"), ("HEAD", "/sim/stats"):
                return .json(200, AdminJSON.stats(stats()))
            case ("GET", "/sim/settings"), ("HEAD", "/sim/settings"):
                return .json(200, AdminJSON.settings(settings()))
            case ("POST", "/sim/settings"): return try adminUpdateSettings(request)
            case ("POST", "/sim/tokens/expire"):
                expireTokens()
                return HTTPResponse(status: 204)
            case ("POST", "/sim/reset"):
                reset()
                return HTTPResponse(status: 204)
            case (_, let path) where Self.lifePaths.contains(path):
                return try handleLifeAdmin(request, path: path)
            case (_, "/sim"), (_, "/sim/jobs"), (_, "/sim/faults"), (_, "/sim/stats"),
                (_, "/sim/settings"), (_, "/sim/tokens/expire"), (_, "/sim/reset"):
                throw .methodNotAllowed(request.method)
            default:
                throw .notFound("Resource not found: \(request.path)")
            }
        } catch {
            return error.response()
        }
    }

    private func adminInsertJob(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let body = try JSONBody(request.body)
        try body.rejectUnknownKeys(
            ["listing", "outcome", "regions", "duration_seconds", "completed_at", "started_seconds_ago"])
        let style = try body.string("completed_at").map { (text) throws(APIError) in
            guard let style = CompletedAtStyle(rawValue: text) else {
                throw .badRequest("completed_at must be zero_time, absent or null")
            }
            return style
        }
        let listing = try body.string("listing") ?? "aws"
        let outcome = JobOutcome(name: try body.string("outcome") ?? "completed")
        let regions = try body.strings("regions") ?? []
        let duration = try body.double("duration_seconds") ?? 2
        let startedAgo = try body.double("started_seconds_ago") ?? 0
        let id = try adminCall { () throws(SimulatorError) in
            try insertJob(
                listing: listing, outcome: outcome, entries: regions, durationSeconds: duration,
                completedAt: style, startedSecondsAgo: startedAgo)
        }
        var json = JSONWriter()
        json.raw("{\"id\":")
        json.string(id)
        json.raw("}")
        return .json(201, json.bytes)
    }

    private func adminInjectFault(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let fault = try AdminJSON.fault(from: JSONBody(request.body))
        try adminCall { () throws(SimulatorError) in try injectFault(fault) }
        return .json(201, Array(#"{"queued":true}"#.utf8))
    }

    private func adminUpdateSettings(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let updated = try AdminJSON.settings(from: JSONBody(request.body), current: settings())
        try adminCall { () throws(SimulatorError) in try updateSettings(updated) }
        return .json(200, AdminJSON.settings(updated))
    }

    /// Runs a control call, turning its ``SimulatorError`` into a 400.
    private func adminCall<T>(_ call: () throws(SimulatorError) -> T) throws(APIError) -> T {
        do {
            return try call()
        } catch {
            throw .badRequest(error.description)
        }
    }
}
