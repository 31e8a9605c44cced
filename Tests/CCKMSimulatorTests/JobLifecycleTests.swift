import CCKMSimulator
import Foundation
import Testing

@Suite("Jobs start, progress region by region and finish")
struct JobLifecycleTests {
    private func job(_ harness: SimulatorHarness, _ listing: String, _ id: String, _ token: String)
        throws -> [String: Any]
    {
        let path = try #require(SimulatorListings.path(of: listing))
        let reply = try harness.send("GET", "/api/v1/cckm/\(path)/\(id)", token: token)
        try #require(reply.status == 200)
        return reply.object
    }

    @Test("a job works through its regions one after another, then completes")
    func progressesRegionByRegion() throws {
        let harness = try SimulatorHarness { $0.parallelRegions = 1 }
        defer { harness.stop() }
        let token = try harness.login()
        let id = try harness.simulator.insertJob(
            listing: "aws", outcome: .completed, regions: ["us-east-1", "us-west-2", "eu-west-1"],
            durationSeconds: 3)
        let done = "region synchronized successfully"
        harness.clock.advance(by: 0.5)
        var job = try job(harness, "aws", id, token)
        #expect(job.status == "in_progress")
        #expect(job.detailed == ["123456789012/us-east-1": "in_progress"])
        #expect(job["completed_at"] as? String == "0001-01-01T00:00:00Z")
        harness.clock.advance(by: 1)
        job = try self.job(harness, "aws", id, token)
        #expect(
            job.detailed == [
                "123456789012/us-east-1": done, "123456789012/us-west-2": "in_progress",
            ])
        harness.clock.advance(by: 1)
        job = try self.job(harness, "aws", id, token)
        #expect(job.detailed["123456789012/eu-west-1"] == "in_progress")
        #expect(job["updatedAt"] as? String != job["createdAt"] as? String)
        harness.clock.advance(by: 1)
        job = try self.job(harness, "aws", id, token)
        #expect(job.status == "completed")
        #expect(job.detailed.values.allSatisfy { $0 == done })
        #expect(job.detailed.count == 3)
        #expect(job["regions"] as? [String] == ["us-east-1", "us-west-2", "eu-west-1"])
        #expect(job["kms"] as? [String] == ["kms"])
        #expect(job["abort"] as? Bool == false)
    }

    @Test("a failed job carries an error text for one region and ends failed")
    func failedJob() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let id = try harness.simulator.insertJob(
            listing: "aws", outcome: .failed, regions: ["us-east-1"], durationSeconds: 2)
        harness.clock.advance(by: 2)
        let job = try job(harness, "aws", id, token)
        #expect(job.status == "failed")
        let text = try #require(job.detailed["123456789012/us-east-1"])
        #expect(text.hasPrefix("failed to sync region: AccessDeniedException"))
    }

    @Test("an aborted job says abort, ends aborted and keeps a stale in_progress region")
    func abortedJob() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let id = try harness.simulator.insertJob(
            listing: "aws", outcome: .aborted, regions: ["us-east-1"], durationSeconds: 4)
        harness.clock.advance(by: 3.5)
        var job = try job(harness, "aws", id, token)
        #expect(job.status == "in_progress")
        #expect(job["abort"] as? Bool == true)
        harness.clock.advance(by: 0.5)
        job = try self.job(harness, "aws", id, token)
        #expect(job.status == "aborted")
        #expect(job.detailed == ["123456789012/us-east-1": "in_progress"])
    }

    @Test("a backdated job of a known duration finishes now, in createdAt order with the history")
    func backdatedJob() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let id = try harness.simulator.insertJob(
            listing: "aws", outcome: .failed, regions: ["us-east-1"], durationSeconds: 1000,
            startedSecondsAgo: 1000)
        let job = try job(harness, "aws", id, token)
        #expect(job.status == "failed")
        let created = try #require(RFC3339Text.seconds(job["createdAt"] as? String))
        let completed = try #require(RFC3339Text.seconds(job["completed_at"] as? String))
        #expect(completed - created == 1000)
        #expect(completed == harness.clock.now())
        let listed = try harness.allJobs("aws", token: token)
        let createdTimes = listed.compactMap { RFC3339Text.seconds($0["createdAt"] as? String) }
        #expect(createdTimes.count == listed.count)
        #expect(createdTimes == createdTimes.sorted(by: >), "newest first, the backdated job among them")
        #expect(listed.contains { $0.id == id })
        #expect(
            throws: SimulatorError.self,
            performing: {
                try harness.simulator.insertJob(listing: "aws", outcome: .failed, startedSecondsAgo: -1)
            })
    }

    @Test("POST starts a job for the body's scope (201); cancel sets abort and it ends aborted")
    func startAndCancel() throws {
        let harness = try SimulatorHarness {
            $0.failureRate = 0
            $0.abortRate = 0
        }
        defer { harness.stop() }
        let token = try harness.login()
        let started = try harness.send(
            "POST", "/api/v1/cckm/aws/synchronization-jobs",
            body:
                #"{"kms":["kms-dev"],"regions":["us-east-1","eu-west-1"],"synchronize_all":true}"#,
            token: token)
        #expect(started.status == 201)
        let id = started.object.id
        #expect(started.object.status == "in_progress")
        #expect(started.object["regions"] as? [String] == ["us-east-1", "eu-west-1"])
        #expect(
            started.object.detailed.keys.sorted() == [
                "210987654321/eu-west-1", "210987654321/us-east-1",
            ])

        harness.clock.advance(by: 0.2)
        let cancelled = try harness.send(
            "POST", "/api/v1/cckm/aws/synchronization-jobs/\(id)/cancel", token: token)
        #expect(cancelled.status == 200)
        #expect(cancelled.object["abort"] as? Bool == true)
        #expect(cancelled.object.status == "in_progress")
        harness.clock.advance(by: 1.1)
        #expect(try job(harness, "aws", id, token).status == "aborted")
        let again = try harness.send(
            "POST", "/api/v1/cckm/aws/synchronization-jobs/\(id)/cancel", token: token)
        #expect(again.status == 409)
        let stats = harness.simulator.stats()
        #expect(stats.requests("start:aws") == 1 && stats.requests("cancel:aws") == 2)
    }

    @Test("an empty POST body starts a job over the whole scope")
    func startWithoutBody() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let started = try harness.send(
            "POST", "/api/v1/cckm/azure/synchronization-jobs", token: try harness.login())
        #expect(started.status == 201)
        #expect((started.object["key_vaults"] as? [String])?.count == 4)
        let bad = try harness.send(
            "POST", "/api/v1/cckm/azure/synchronization-jobs", body: #"{"key_vaults":"x"}"#,
            token: try harness.login())
        #expect(bad.status == 400)
    }

    @Test("a cancelled GCP job ends completed, as GCP jobs do")
    func googleCancelEndsCompleted() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let token = try harness.login()
        let id = try harness.simulator.insertJob(
            listing: "google", outcome: .running, durationSeconds: 10)
        let path = "/api/v1/cckm/google/synchronization-jobs/\(id)"
        #expect(try harness.send("POST", "\(path)/cancel", token: token).status == 200)
        harness.clock.advance(by: 1)
        let job = try job(harness, "google", id, token)
        #expect(job.status == "completed")
        #expect(job["abort"] as? Bool == true)
        #expect(job["cloud"] as? String == "gcp")
    }

    @Test("a running job stays in progress until cancelled; a custom status is kept verbatim")
    func runningAndCustomStatus() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let running = try harness.simulator.insertJob(
            listing: "oci", outcome: .running, durationSeconds: 1)
        let custom = try harness.simulator.insertJob(
            listing: "oci", outcome: .status("error"), durationSeconds: 1)
        harness.clock.advance(by: 3600)
        let token = try harness.login()
        #expect(try job(harness, "oci", running, token).status == "in_progress")
        #expect(try job(harness, "oci", custom, token).status == "error")
    }

    @Test("new random jobs start about every interval, and outcomes include failed and aborted")
    func randomJobsOverTime() throws {
        let harness = try SimulatorHarness {
            $0.historyPerListing = 0
            $0.newJobIntervalSeconds = 15
            $0.listings = ["aws"]
            $0.failureRate = 0.3
            $0.abortRate = 0.3
        }
        defer { harness.stop() }
        #expect(try harness.page(token: harness.login()).object["total"] as? Int == 0)
        harness.clock.advance(by: 15 * 60)
        let token = try harness.login()
        let jobs = try harness.allJobs(limit: 100, token: token)
        #expect((45...75).contains(jobs.count), "\(jobs.count) jobs in 15 minutes")
        let statuses = Set(jobs.map(\.status))
        #expect(statuses.isSuperset(of: ["completed", "failed", "aborted"]))
        let accounts = Set(jobs.flatMap { $0.detailed.keys.map { $0.split(separator: "/")[0] } })
        #expect(accounts.count >= 2)
    }

    @Test("the history is finished, spread over the past, with every outcome")
    func history() throws {
        let harness = try SimulatorHarness {
            $0.historyPerListing = 200
            $0.listings = ["aws"]
        }
        defer { harness.stop() }
        let jobs = try harness.allJobs(limit: 1000, token: try harness.login())
        #expect(jobs.count == 200)
        #expect(jobs.allSatisfy { $0.status != "in_progress" })
        #expect(Set(jobs.map(\.status)) == ["completed", "failed", "aborted"])
    }
}

/// RFC 3339 text to seconds, for the tests' own checks (Foundation's parser, not the exporter's).
enum RFC3339Text {
    static func seconds(_ text: String?) -> Double? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
