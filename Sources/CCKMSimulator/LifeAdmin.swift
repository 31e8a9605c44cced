import HTTPServer

/// `/sim/life`, `/sim/outage`, `/sim/deletions` and `/sim/truth`: the living CM's controls and
/// its ground truth for scripts (``CCKMSimulator/updateLife(_:)`` and the rest in process).
extension SimulatorCore {
    static let lifePaths: Set<String> = ["/sim/life", "/sim/outage", "/sim/deletions", "/sim/truth"]

    static let lifeHelp = """
          GET    /sim/life            the life in force
          POST   /sim/life            {"burst_interval_seconds":60,"burst_size":100,
                                       "cancelled_completed_share":0.5,"purge_interval_seconds":60,
                                       "purge_count":20,"deletion_interval_seconds":0,"deletion_count":1,
                                       "server_error_rate":0.02,"server_error_status":503,
                                       "outage_interval_seconds":0,"outage_seconds":0,"outage_status":503,
                                       "request_seconds":0}          (omitted keys: 0, i.e. quiet)
          POST   /sim/outage          {"status":503,"seconds":30}    every sync-job request fails from now
          POST   /sim/deletions       {"listing":"aws","count":1}    -> {"deleted":["…"]} running jobs deleted
          GET    /sim/truth?listing=aws   what a fresh complete walk gives, plus every finished job
                                       ever held (purged ones included)

        """

    func handleLifeAdmin(_ request: HTTPRequest, path: String) throws(APIError) -> HTTPResponse {
        switch (request.method, path) {
        case ("GET", "/sim/life"), ("HEAD", "/sim/life"):
            return .json(200, Self.lifeJSON(state.withLock { $0.life.settings }))
        case ("POST", "/sim/life"):
            let settings = try Self.life(from: JSONBody(request.body, allowEmpty: true))
            try lifeCall { () throws(SimulatorError) in try updateLife(settings) }
            return .json(200, Self.lifeJSON(settings))
        case ("POST", "/sim/outage"):
            let body = try JSONBody(request.body)
            try body.rejectUnknownKeys(["status", "seconds"])
            let outage = Outage(
                status: try body.int("status") ?? 503, seconds: try body.double("seconds") ?? 0)
            try lifeCall { () throws(SimulatorError) in try startOutage(outage) }
            return HTTPResponse(status: 204)
        case ("POST", "/sim/deletions"):
            let body = try JSONBody(request.body, allowEmpty: true)
            try body.rejectUnknownKeys(["listing", "count"])
            let listing = try body.string("listing") ?? "aws"
            let count = try body.int("count") ?? 1
            let ids = try lifeCall { () throws(SimulatorError) in
                try deleteRunningJobs(listing: listing, count: count)
            }
            var json = JSONWriter()
            json.raw("{\"deleted\":[")
            for (index, id) in ids.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(id)
            }
            json.raw("]}")
            return .json(200, json.bytes)
        case ("GET", "/sim/truth"), ("HEAD", "/sim/truth"):
            let listing = request.queryValue("listing") ?? "aws"
            let truth = try lifeCall { () throws(SimulatorError) in try self.truth(listing: listing) }
            return .json(200, Self.truthJSON(truth))
        default:
            throw .methodNotAllowed(request.method)
        }
    }

    private func lifeCall<T>(_ call: () throws(SimulatorError) -> T) throws(APIError) -> T {
        do {
            return try call()
        } catch {
            throw .badRequest(error.description)
        }
    }

    private static var lifeKeys: [(String, WritableKeyPath<LifeSettings, Double>)] {
        [
            ("burst_interval_seconds", \.burstIntervalSeconds),
            ("cancelled_completed_share", \.cancelledCompletedShare),
            ("purge_interval_seconds", \.purgeIntervalSeconds),
            ("deletion_interval_seconds", \.deletionIntervalSeconds),
            ("server_error_rate", \.serverErrorRate), ("outage_interval_seconds", \.outageIntervalSeconds),
            ("outage_seconds", \.outageSeconds), ("request_seconds", \.requestSeconds),
        ]
    }
    private static var lifeCounts: [(String, WritableKeyPath<LifeSettings, Int>)] {
        [
            ("burst_size", \.burstSize), ("purge_count", \.purgeCount), ("deletion_count", \.deletionCount),
            ("server_error_status", \.serverErrorStatus), ("outage_status", \.outageStatus),
        ]
    }

    static func life(from body: JSONBody) throws(APIError) -> LifeSettings {
        try body.rejectUnknownKeys(Set(lifeKeys.map(\.0) + lifeCounts.map(\.0)))
        var settings = LifeSettings()
        for (key, path) in lifeKeys {
            if let value = try body.double(key) { settings[keyPath: path] = value }
        }
        for (key, path) in lifeCounts { if let value = try body.int(key) { settings[keyPath: path] = value } }
        return settings
    }

    static func lifeJSON(_ settings: LifeSettings) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{")
        for (index, (key, path)) in lifeKeys.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(key)
            json.rawBytes(Array("\(settings[keyPath: path])".utf8))
        }
        for (key, path) in lifeCounts {
            json.raw(",")
            json.key(key)
            json.int(settings[keyPath: path])
        }
        json.raw("}")
        return json.bytes
    }

    static func truthJSON(_ truth: SimulatorTruth) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{\"time\":")
        json.rawBytes(Array("\(truth.time)".utf8))
        json.raw(",\"jobs_by_status\":{")
        for (index, status) in truth.jobsByStatus.keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.key(status)
            json.int(truth.jobsByStatus[status]!)
        }
        json.raw("},\"finished\":{")
        for (index, status) in truth.finished.keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.key(status)
            json.raw("{\"count\":")
            json.int(truth.finished[status]!.count)
            json.raw(",\"duration_sum\":")
            json.rawBytes(Array("\(truth.finished[status]!.durationSum)".utf8))
            json.raw("}")
        }
        json.raw("},\"cancelled\":")
        json.int(truth.cancelled)
        json.raw(",\"last_finished\":{")
        for (index, status) in truth.lastFinished.keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.key(status)
            json.rawBytes(Array("\(truth.lastFinished[status]!)".utf8))
        }
        json.raw("},\"last_cancelled\":")
        json.rawBytes(Array((truth.lastCancelled.map { "\($0)" } ?? "null").utf8))
        json.raw(",\"scopes_in_progress\":[")
        for (index, scope) in truth.scopesInProgress.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(scope)
        }
        json.raw("],\"oldest_running_job_start\":")
        json.rawBytes(Array((truth.oldestRunningJobStart.map { "\($0)" } ?? "null").utf8))
        json.raw(",\"latest_job_status\":")
        if let status = truth.latestJobStatus { json.string(status) } else { json.raw("null") }
        json.raw("}")
        return json.bytes
    }
}
