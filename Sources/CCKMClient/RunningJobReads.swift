import CMWire
import Foundation
import JobMetrics

/// The one-by-one reads of one poll (`GET …/synchronization-jobs/{id}`): the jobs held as
/// running that neither the newest jobs nor the running set showed (they finished, or the
/// CM ignores the `overall_status` filter).
///
/// - A read that fails on the job's own account (``JobReadRetries/isJobError(_:)``) does not
///   fail the poll: the job is asked again next poll, and after its retries the listing itself
///   decides (the documented `id` filter: gone, or the listing's copy).
/// - No read starts after the `budget` (one always does): the others wait for the next poll,
///   which starts after the last job read (``ListingProgress/lastReadByID``), so a CM with
///   hundreds of running jobs to read one by one is read over several polls, never restarted.
struct RunningJobReads {
    private(set) var missing: [String]
    let now: ContinuousClock.Instant
    let budget: ContinuousClock.Instant
    private(set) var events: [JobReadEvent] = []
    private(set) var removed: [String] = []
    /// True when the budget left jobs to read for the next poll.
    private(set) var cutShort = false

    init(missing: [String], now: ContinuousClock.Instant, budget: ContinuousClock.Instant) {
        self.missing = missing
        self.now = now
        self.budget = budget
    }

    /// Leaves out the jobs an earlier poll's read of the running set already showed.
    mutating func skip(_ seen: Set<String>) {
        missing.removeAll { seen.contains($0) }
    }

    /// Leaves the jobs to read that `seen` does not hold, and that were not left before
    /// (`earlier`), to the newest-first catch-up this poll opened; returns them.
    ///
    /// Jobs that finished since the last poll were mostly created shortly before it: just
    /// below the newest job held, where the catch-up's page ends. It reads on past that job to
    /// the end of its page, and shows them in their final state there, a request for up to a
    /// page of them instead of a `GET` each. A job it did not show (an old job, a page that
    /// ended first) is read one by one at the next poll: never left twice.
    mutating func leaveToCatchUp(besides earlier: Set<String>, seen: Set<String>) -> Set<String> {
        let left = Set(missing.filter { !seen.contains($0) && !earlier.contains($0) })
        missing.removeAll { left.contains($0) }
        return left
    }

    /// Reads the jobs `running` has not seen into it; returns why a complete walk is needed,
    /// if one is (a job that cannot be read on a CM that ignores the `id` filter).
    mutating func read(
        _ listing: Listing, client: CMClient, into running: inout RunningSetRead,
        progress: inout ListingProgress, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        let ids = missing.filter { !running.seen.contains($0) }.sorted()
        let start = progress.lastReadByID.map { last in ids.firstIndex { $0 > last } ?? 0 } ?? 0
        var readAny = false
        for id in ids[start...] + ids[..<start] {
            if readAny && ContinuousClock.now >= budget {
                cutShort = true
                break
            }
            readAny = true
            progress.lastReadByID = id
            if progress.jobReads.isDue(id, now: now) {
                if let problem = try decide(
                    id, listing, client: client, into: &running, deadline: deadline, sent: &sent)
                {
                    return problem
                }
                progress.jobReads.forget(id)
                continue
            }
            do throws(CMError) {
                if let job = try client.job(listing, id: id, deadline: deadline, sent: &sent) {
                    running.take(job)
                    progress.jobReads.forget(id)
                    continue
                }
                let error = CMError(
                    reason: .http, message: "GET …/\(id): HTTP 404 (the job is not found)")
                events.append(
                    JobReadEvent(
                        id: id,
                        kind: .failed(error, first: progress.jobReads.fail(id, error: error, now: now))))
            } catch  where JobReadRetries.isJobError(error) {
                events.append(
                    JobReadEvent(
                        id: id,
                        kind: .failed(error, first: progress.jobReads.fail(id, error: error, now: now))))
            }
        }
        return nil
    }

    /// Asks the listing for `id` (the documented `id` filter): the listing's copy when it holds
    /// the job, gone when it holds nothing.
    private mutating func decide(
        _ id: String, _ listing: Listing, client: CMClient, into running: inout RunningSetRead,
        deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        let page = try client.listPage(
            listing, skip: 0, limit: 1, filters: [("id", id)], deadline: deadline, sent: &sent)
        if let job = page.jobs.first(where: { $0.id == id }) {
            running.take(job)
            events.append(JobReadEvent(id: id, kind: .listingCopy))
        } else if page.jobs.isEmpty && page.invalid.isEmpty {
            removed.append(id)
            events.append(JobReadEvent(id: id, kind: .gone))
        } else {
            return "job \(id) cannot be read and the listing ignores the id filter"
        }
        return nil
    }
}
