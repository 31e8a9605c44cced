/// JSON forms of the control types for `/sim/…` (snake_case keys, as in CM's own API).
enum AdminJSON {
    static func stats(_ stats: SimulatorStats) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{\"requests\":")
        counts(stats.requests, into: &json)
        json.raw(",\"logins\":")
        counts(stats.logins, into: &json)
        json.raw(",\"rejected_logins\":")
        json.int(stats.rejectedLogins)
        json.raw(",\"certificate_login_serials\":[")
        for (index, serial) in stats.certificateLoginSerials.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(serial)
        }
        json.raw("]")
        json.raw(",\"unauthorized_requests\":")
        json.int(stats.unauthorizedRequests)
        json.raw(",\"faults_applied\":")
        json.int(stats.faultsApplied)
        json.raw(",\"api_requests\":")
        json.int(stats.apiRequests)
        json.raw(",\"jobs\":")
        counts(stats.jobs, into: &json)
        json.raw("}")
        return json.bytes
    }

    static func settings(_ settings: SimulatorSettings) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{\"token_lifetime_seconds\":")
        json.int(settings.tokenLifetimeSeconds)
        for (key, value) in [
            ("new_job_interval_seconds", settings.newJobIntervalSeconds),
            ("region_seconds", settings.regionSeconds),
            ("failure_rate", settings.failureRate), ("abort_rate", settings.abortRate),
            ("abort_delay_seconds", settings.abortDelaySeconds),
        ] {
            json.raw(",")
            json.key(key)
            json.rawBytes(Array("\(value)".utf8))
        }
        json.raw(",\"parallel_regions\":")
        json.int(settings.parallelRegions)
        json.raw(",\"running_completed_at\":")
        json.string(settings.runningCompletedAt.rawValue)
        json.raw("}")
        return json.bytes
    }

    static func settings(from body: JSONBody, current: SimulatorSettings) throws(APIError)
        -> SimulatorSettings
    {
        try body.rejectUnknownKeys([
            "token_lifetime_seconds", "new_job_interval_seconds", "region_seconds",
            "parallel_regions", "failure_rate", "abort_rate", "abort_delay_seconds",
            "running_completed_at",
        ])
        var settings = current
        settings.tokenLifetimeSeconds =
            try body.int("token_lifetime_seconds") ?? settings.tokenLifetimeSeconds
        settings.newJobIntervalSeconds =
            try body.double("new_job_interval_seconds") ?? settings.newJobIntervalSeconds
        settings.regionSeconds = try body.double("region_seconds") ?? settings.regionSeconds
        settings.parallelRegions = try body.int("parallel_regions") ?? settings.parallelRegions
        settings.failureRate = try body.double("failure_rate") ?? settings.failureRate
        settings.abortRate = try body.double("abort_rate") ?? settings.abortRate
        settings.abortDelaySeconds =
            try body.double("abort_delay_seconds") ?? settings.abortDelaySeconds
        if let text = try body.string("running_completed_at") {
            guard let style = CompletedAtStyle(rawValue: text) else {
                throw .badRequest("running_completed_at must be zero_time, absent or null")
            }
            settings.runningCompletedAt = style
        }
        return settings
    }

    static func fault(from body: JSONBody) throws(APIError) -> Fault {
        try body.rejectUnknownKeys([
            "scope", "listing", "page", "count", "status", "retry_after", "delay_ms", "truncate",
            "invalid_json", "body", "total_lies", "omit_total", "repeat_page", "ignore_skip",
            "empty_page_early", "insert_on_page", "insert_count",
        ])
        var fault = Fault()
        if let scope = try body.string("scope") {
            guard let parsed = Fault.Scope(rawValue: scope) else {
                throw .badRequest("scope must be all, auth or listings")
            }
            fault.scope = parsed
        }
        fault.listing = try body.string("listing")
        fault.page = try body.int("page")
        fault.count = try body.int("count") ?? 1
        fault.status = try body.int("status")
        fault.retryAfterSeconds = try body.int("retry_after")
        fault.delayMilliseconds = try body.int("delay_ms") ?? 0
        fault.truncate = try body.bool("truncate") ?? false
        fault.invalidJSON = try body.bool("invalid_json") ?? false
        fault.body = try body.string("body")
        fault.totalLies = try body.int("total_lies") ?? 0
        fault.omitTotal = try body.bool("omit_total") ?? false
        fault.repeatPage = try body.bool("repeat_page") ?? false
        fault.ignoresSkip = try body.bool("ignore_skip") ?? false
        fault.emptyPageEarly = try body.bool("empty_page_early") ?? false
        fault.insertOnPage = try body.int("insert_on_page")
        fault.insertCount = try body.int("insert_count") ?? 3
        return fault
    }

    /// `{"key":n,…}` with keys sorted, so the output is stable.
    private static func counts(_ counts: [String: Int], into json: inout JSONWriter) {
        json.raw("{")
        for (index, key) in counts.keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.key(key)
            json.int(counts[key]!)
        }
        json.raw("}")
    }
}
