import CCKMClient
import CCKMSimulator
import Foundation
import Testing

@Suite("Status page against the simulator over real sockets", .timeLimit(.minutes(3)))
struct StatusPageIntegrationTests {
    @Test(
        "/ shows running jobs with regions, failed jobs with detailed_status, and recent polls with debug lines"
    )
    func statusPageShowsSimulatorData() throws {
        let exporter = try ExporterUnderTest(
            simulator: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 20, newJobIntervalSeconds: 0.3, regionSeconds: 30,
                failureRate: 0.5, abortRate: 0, seed: 11))
        try exporter.waitFor("a running job and a failed one") {
            ($0["cckm_sync_regions_in_progress{cloud=\"aws\",cm=\"sim\"}"] ?? 0) > 0
                && ($0["cckm_sync_jobs{cloud=\"aws\",cm=\"sim\",status=\"failed\"}"] ?? 0) > 0
        }
        let html = String(decoding: try exporter.get("/").body, as: UTF8.self)
        let jobs = try exporter.simulatorJobs()
        let running = try #require(jobs.first { $0["overall_status"] as? String == "in_progress" })
        let failed = try #require(jobs.first { $0["overall_status"] as? String == "failed" })
        #expect(html.contains("<td>sim</td><td>aws</td>"))
        #expect(html.contains("<code>\(try #require(running["id"] as? String))</code>"))
        #expect(html.contains("<code>\(try #require(failed["id"] as? String))</code>"))
        let details = try #require(failed["detailed_status"] as? [String: String])
        let failure = try #require(details.values.first { $0.contains("failed") || $0.contains("Denied") })
        #expect(
            html.contains(failure.replacingOccurrences(of: "\"", with: "&quot;")),
            "detailed_status text \(failure)")
        #expect(html.contains("Recent polls"))
        // The exporter logs nowhere in this test; the journal still keeps the debug lines.
        #expect(html.contains("msg=&quot;poll finished&quot; cm=sim cloud=aws"))
        #expect(html.contains("<a href=\"/metrics\">Metrics</a>"))

        let text = try exporter.get("/debug?cm=sim&cloud=aws")
        #expect(text.status == 200)
        let body = String(decoding: text.body, as: UTF8.self)
        #expect(body.contains("# cm=sim cloud=aws state=up"))
        #expect(body.contains("result=ok"))
        #expect(try exporter.get("/debug?cm=sim&cloud=azure").status == 404)
    }

    @Test("a rejected login shows as a failed auth poll with CM's message, and never the password")
    func authFailureOnThePage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "wrong-secret-\(UInt32.random(in: 1...UInt32.max))"
        let passwordFile = directory.appendingPathComponent("password")
        try secret.write(to: passwordFile, atomically: true, encoding: .utf8)
        let exporter = try ExporterUnderTest(
            simulator: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 3, newJobIntervalSeconds: 1000),
            flags: ["--cm.password-file=\(passwordFile.path)"])
        try exporter.waitFor("the failed login") {
            $0.sum("cckm_poll_errors_total", ["reason=\"auth\""]) >= 1
        }
        let html = String(decoding: try exporter.get("/").body, as: UTF8.self)
        let text = String(decoding: try exporter.get("/debug").body, as: UTF8.self)
        #expect(html.contains("<span class=\"badge down\">down</span>"))
        #expect(html.contains("failed (auth)"))
        #expect(html.contains("HTTP 401"))
        #expect(text.contains("result=failed (auth)"))
        #expect(text.contains("msg=\"poll failing\" cm=sim cloud=aws"), "the warn line of the state change")
        #expect(!html.contains(secret) && !text.contains(secret))
    }
}
