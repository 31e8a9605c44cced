import CCKMClient
import CCKMSimulator
import Foundation
import Testing

/// A simulator on an ephemeral loopback port with a manual clock, and a real HTTP client
/// (libcurl, as the exporter uses) to talk to it.
final class SimulatorHarness {
    let simulator: CCKMSimulator
    let clock: ManualClock
    private var client: HTTPTransport? = HTTPTransport()
    /// The client; dropped by ``stop()`` so its keep-alive connection does not delay shutdown.
    var transport: HTTPTransport { client! }

    /// Quiet defaults for tests: a small history, no random jobs unless asked for.
    init(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) throws {
        var configuration = SimulatorConfiguration(historyPerListing: 5, newJobIntervalSeconds: 0)
        configure(&configuration)
        clock = ManualClock()
        simulator = try CCKMSimulator(configuration: configuration, clock: clock)
    }

    func stop() {
        client = nil
        simulator.shutdown()
    }

    /// One HTTP exchange; `token` adds a bearer header.
    @discardableResult
    func send(_ method: String, _ path: String, body: String? = nil, token: String? = nil)
        throws -> Reply
    {
        var headers = ["Content-Type: application/json"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        let response = try transport.send(
            method: method, url: simulator.baseURL + path, headers: headers,
            body: body.map { Array($0.utf8) })
        return Reply(
            status: response.status, body: response.body,
            retryAfterSeconds: response.retryAfterSeconds)
    }

    /// Logs in with the password grant and returns the JWT.
    func login(username: String = "admin", password: String = "admin") throws -> String {
        let reply = try send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"password","username":"\#(username)","password":"\#(password)"}"#)
        try #require(reply.status == 200, "login answered \(reply.status): \(reply.text)")
        return try #require(reply.object["jwt"] as? String)
    }

    /// `GET` a listing page as a logged-in client.
    func page(_ listing: String = "aws", _ query: String = "", token: String) throws -> Reply {
        let path = "/api/v1/cckm/\(try #require(SimulatorListings.path(of: listing)))"
        return try send("GET", query.isEmpty ? path : "\(path)?\(query)", token: token)
    }

    /// Every job of a listing, paging with `limit` until `skip >= total`.
    func allJobs(_ listing: String = "aws", limit: Int = 10, extra: String = "", token: String)
        throws -> [[String: Any]]
    {
        var jobs: [[String: Any]] = []
        var skip = 0
        while true {
            let reply = try page(listing, "skip=\(skip)&limit=\(limit)\(extra)", token: token)
            try #require(reply.status == 200)
            let resources = reply.resources
            jobs += resources
            skip += resources.count
            if resources.isEmpty || skip >= (reply.object["total"] as? Int ?? 0) { return jobs }
        }
    }
}

/// An HTTP answer with JSON helpers.
struct Reply {
    var status: Int
    var body: [UInt8]
    var retryAfterSeconds: Int?

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or empty when it is not one.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var resources: [[String: Any]] { object["resources"] as? [[String: Any]] ?? [] }

    var isJSON: Bool { (try? JSONSerialization.jsonObject(with: Data(body))) != nil }
}

extension Dictionary where Key == String, Value == Any {
    var id: String { self["id"] as? String ?? "" }
    var status: String { self["overall_status"] as? String ?? "" }
    var detailed: [String: String] { self["detailed_status"] as? [String: String] ?? [:] }
}
