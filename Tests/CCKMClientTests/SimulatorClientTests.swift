import CCKMClient
import CCKMSimulator
import Foundation
import Testing

/// The client against the project's simulated CipherTrust Manager; the simulator's own
/// counters prove what reached the server (no double fetches, one renewal, …).
@Suite("CMClient against the simulator")
struct SimulatorClientTests {
    private static let history = 12

    private func simulator(
        clock: any SimulatorClock = SystemClock(),
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in }
    ) throws -> CCKMSimulator {
        var configuration = SimulatorConfiguration(
            username: "metrics", password: Fixture.password,
            historyPerListing: Self.history, newJobIntervalSeconds: 0)
        configure(&configuration)
        return try CCKMSimulator(configuration: configuration, clock: clock)
    }

    private func client(
        _ simulator: CCKMSimulator, credentials: CMCredentials = Fixture.passwordCredentials,
        transport: HTTPTransport = HTTPTransport(), recorder: RequestRecorder = RequestRecorder()
    ) -> CMClient {
        CMClient(
            baseURL: simulator.baseURL, credentials: credentials, transport: transport,
            pageSize: 5, retryPolicy: Fixture.quickRetries, onRequest: recorder.hook)
    }

    /// Pages a listing of `history` jobs needs at 5 a page.
    private let pagesPerListing = (history + 4) / 5

    @Test("every listing of the contract pages completely: each page fetched once, one login")
    func everyListing() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        let client = client(simulator)
        for listing in Listing.all {
            let result = try client.listJobs(listing, deadline: Fixture.deadline())
            #expect(result.jobs.count == Self.history, "\(listing)")
            #expect(Set(result.jobs.map(\.id)).count == Self.history, "\(listing)")
            #expect(result.pages == pagesPerListing)
            #expect(
                simulator.stats().listingRequests(listing.name) == pagesPerListing, "\(listing)")
        }
        let stats = simulator.stats()
        #expect(stats.logins == ["password": 1])
        #expect(stats.apiRequests == 1 + Listing.all.count * pagesPerListing)
        #expect(stats.unauthorizedRequests == 0)
    }

    @Test("a 2 s token is renewed with the refresh grant before the simulator would reject it")
    func renewalAheadOfExpiry() throws {
        let simulatorClock = ManualClock()
        let clock = ManualInstantClock()
        func advance(milliseconds: Int64) {
            simulatorClock.advance(by: Double(milliseconds) / 1000)
            clock.advance(by: .milliseconds(milliseconds))
        }
        let simulator = try simulator(clock: simulatorClock) { $0.tokenLifetimeSeconds = 2 }
        defer { simulator.shutdown() }
        let tokens = TokenProvider(
            baseURL: simulator.baseURL, credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(), now: clock.reader)
        let first = try tokens.token(deadline: Fixture.deadline())
        advance(milliseconds: 1700)  // past 80 % of 2 s, before expiry
        let second = try tokens.token(deadline: Fixture.deadline())
        #expect(second != first)
        #expect(simulator.stats().logins == ["password": 1, "refresh_token": 1])
        advance(milliseconds: 500)  // 2.2 s after the first login: the simulator rejects it now
        func listingStatus(_ jwt: String) throws -> Int {
            try HTTPTransport().send(
                method: "GET", url: simulator.baseURL + "/api/v1/cckm/\(Fixture.aws.path)?limit=5",
                headers: ["Authorization: Bearer \(jwt)"]
            ).status
        }
        #expect(try listingStatus(first) == 401, "the first token expired in the simulator")
        #expect(try listingStatus(second) == 200, "the renewed one is still good")
    }

    @Test("refresh token alone logs in with the refresh grant")
    func refreshTokenOnly() throws {
        let simulator = try simulator { $0.refreshTokens = ["rt-configured"] }
        defer { simulator.shutdown() }
        let result = try client(
            simulator, credentials: CMCredentials(refreshToken: "rt-configured")
        )
        .listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == Self.history)
        #expect(simulator.stats().logins == ["refresh_token": 1])
    }

    @Test("tokens expired by CM mid-paging: one 401, one renewal, the listing completes")
    func expiredMidPaging() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        // The second page answers 401 once, as an expired token would.
        try simulator.injectFault(
            Fault(scope: .listings, status: 401, insertOnPage: 2, insertCount: 0))
        let recorder = RequestRecorder()
        let result = try client(simulator, recorder: recorder).listJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == Self.history)
        let stats = simulator.stats()
        #expect(stats.logins == ["password": 1, "refresh_token": 1])
        #expect(stats.listingRequests("aws") == pagesPerListing + 1)
        #expect(recorder.reported.filter { $0.hasPrefix("auth") } == ["auth 200", "auth 200"])
    }

    @Test("jobs created between pages: every listed job once, none of the history lost")
    func insertedBetweenPages() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        let client = client(simulator)
        let before = Set(
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline()).jobs.map(\.id))
        try simulator.injectFault(Fault(scope: .listings, insertOnPage: 2, insertCount: 3))
        let after = try client.listJobs(Fixture.aws, deadline: Fixture.deadline()).jobs.map(\.id)
        #expect(Set(after).count == after.count)
        #expect(before.isSubset(of: Set(after)))
    }

    @Test("a page served twice: the walk goes on, no extra request, nothing counted twice")
    func repeatedOnce() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, repeatPage: true))
        let result = try client(simulator).listJobs(Fixture.aws, deadline: Fixture.deadline())
        // Page 2 came back as page 1 again: its real jobs were never served.
        #expect(result.jobs.count == Self.history - 5)
        #expect(Set(result.jobs.map(\.id)).count == result.jobs.count)
        #expect(simulator.stats().listingRequests("aws") == pagesPerListing)
    }

    /// A lying server, what the walk keeps, the page requests it costs, and whether it is noted.
    private static let lies: [(Fault, jobs: Int, requests: Int, noted: Bool)] = [
        (Fault(scope: .listings, count: 0, totalLies: 1000), history, 4, true),
        (Fault(scope: .listings, count: 0, repeatPage: true), history - 2, 3, false),
        (Fault(scope: .listings, count: 0, emptyPageEarly: true), 0, 1, true),
    ]

    @Test(
        "a total that lies, pages repeated for ever, an early empty page: the walk ends",
        arguments: lies.indices)
    func lyingServer(index: Int) throws {
        let (fault, jobs, requests, noted) = Self.lies[index]
        let simulator = try simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(fault)
        let result = try client(simulator).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == jobs)
        #expect(simulator.stats().listingRequests("aws") == requests)
        #expect(result.anomalies.isEmpty != noted, "\(result.anomalies)")
    }

    @Test("a 5xx burst is retried and recovers; a 5xx that outlasts the deadline is reason http")
    func serverErrors() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        let client = client(simulator)
        try simulator.injectFault(Fault(scope: .listings, count: 2, status: 503))
        let result = try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == Self.history)
        #expect(simulator.stats().listingRequests("aws") == pagesPerListing + 2)

        try simulator.injectFault(Fault(scope: .listings, count: 0, status: 500))
        let error = Fixture.failure {
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline(1))
        }
        #expect(error?.reason == .http)
        #expect(error?.message.contains("HTTP 500") == true)
    }

    @Test("Retry-After from the simulator is honoured")
    func retryAfter() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, status: 429, retryAfterSeconds: 1))
        let started = ContinuousClock.now
        _ = try client(simulator).listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(ContinuousClock.now - started >= .seconds(1))
    }

    @Test("a truncated body or one that is not JSON is reason decode", arguments: [true, false])
    func undecodable(truncate: Bool) throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(
            Fault(scope: .listings, truncate: truncate, invalidJSON: !truncate))
        let error = Fixture.failure {
            try client(simulator).listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .decode)
        #expect(simulator.stats().listingRequests("aws") == 1, "decode errors are not retried")
    }

    @Test("a slow answer is reason timeout, within the poll's deadline")
    func slowAnswer() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, count: 0, delayMilliseconds: 1500))
        let transport = HTTPTransport(settings: .init(requestTimeout: .milliseconds(400)))
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try client(simulator, transport: transport).listJobs(
                Fixture.aws, deadline: Fixture.deadline(1))
        }
        #expect(error?.reason == .timeout)
        #expect(ContinuousClock.now - started < .milliseconds(1500))
        simulator.clearFaults()
    }

    @Test("a wrong password is reason auth once per poll, with CM's message and no secret")
    func rejectedLogin() throws {
        let simulator = try simulator { $0.password = "another" }
        defer { simulator.shutdown() }
        let client = client(simulator)
        let deadline = Fixture.deadline()
        for listing in Listing.all.prefix(3) {
            let error = Fixture.failure { try client.listJobs(listing, deadline: deadline) }
            #expect(error?.reason == .auth)
            #expect(error?.message.contains("Invalid user credentials") == true)
            #expect(error?.description.contains(Fixture.password) == false)
        }
        #expect(simulator.stats().rejectedLogins == 1)
        #expect(simulator.stats().apiRequests == 1)
    }

    @Test("filters narrow the listing; one job by id; an unknown id is nil")
    func filtersAndSingleJob() throws {
        let simulator = try simulator()
        defer { simulator.shutdown() }
        let id = try simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 600)
        let client = client(simulator)
        let running = try client.listJobs(
            Fixture.aws, filters: [("overall_status", "in_progress")], deadline: Fixture.deadline())
        #expect(running.jobs.map(\.id) == [id])
        #expect(
            try client.job(Fixture.aws, id: id, deadline: Fixture.deadline())?.status
                == "in_progress")
        #expect(
            try client.job(
                Fixture.aws, id: "00000000-0000-0000-0000-000000000000",
                deadline: Fixture.deadline()) == nil)
        #expect(simulator.stats().requests("get:aws") == 2)
    }
}
