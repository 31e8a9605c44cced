import CCKMExporter

/// Fetches only what can have changed in a listing since the last poll, given the jobs known
/// from it (``KnownJobs``): O(new or changed jobs) requests instead of O(history).
///
/// Listings come newest first and finished jobs never change, so a poll needs:
/// 1. **The head**: pages from the newest job down to the first job already known (the first
///    page asks for ``headPageSize`` jobs, so a quiet listing costs one small request; later
///    pages use the client's page size).
/// 2. **The jobs that were running** and are not on the head pages, re-read by `id` filter
///    (`id=a&id=b…`, ``idBatchSize`` per request). A job finished since is read in its final
///    state; a job that is running now but was not before is new, so it is on the head.
///
/// With a handful of new jobs and the running ones among them, that is one request; with
/// older jobs still running, two. Whenever the answers contradict what this relies on, the
/// lister walks the whole listing instead (``IncrementalListing/fallbackReason`` says why):
/// the newest known job is not the first known job of the head (order not honoured, or jobs
/// deleted), a finished job changed, the `id` filter was ignored, a running job vanished, or
/// the listing holds entries without an id (they cannot be matched across polls).
public struct IncrementalLister: Sendable {
    public let client: CMClient

    /// `limit` of the first head page.
    public static let headPageSize = 50
    /// Ids per `id`-filtered request (keeps the URL near 2 KB).
    public static let idBatchSize = 50
    /// Head pages after which the walk gives up and lists everything.
    static let headPageCap = 200

    public init(client: CMClient) {
        self.client = client
    }

    /// One incremental poll of `listing`; `known` is the listing as last seen. A complete
    /// listing it falls back to comes whole, as ``IncrementalListing/Update/complete(_:)``.
    /// - Throws: ``CMError`` when a request fails; nothing is applied then.
    public func poll(
        _ listing: Listing, known: KnownJobs, deadline: ContinuousClock.Instant
    ) throws(CMError) -> IncrementalListing {
        var jobs: [SyncJob] = []
        var invalid: [InvalidJob] = []
        var polled = try poll(listing, known: known, deadline: deadline) { fresh in
            jobs += fresh.jobs
            invalid += fresh.invalid
        }
        if case .streamed(let walk) = polled.update {
            polled.update = .complete(
                ListingResult(
                    jobs: jobs, invalid: invalid, pages: walk.pages, requests: polled.requests,
                    anomalies: walk.anomalies))
        }
        return polled
    }

    /// ``poll(_:known:deadline:)``, except that a complete listing it falls back to is
    /// streamed: each page's new entries go to `onCompletePage` as they are decoded (as
    /// ``CMClient/listJobs(_:filters:deadline:onPage:)`` does), and the update is
    /// ``IncrementalListing/Update/streamed(_:)``.
    /// - Throws: ``CMError`` when a request fails; `onCompletePage` may then have seen part
    ///   of a listing, which the caller must drop.
    public func poll(
        _ listing: Listing, known: KnownJobs, deadline: ContinuousClock.Instant,
        onCompletePage: (FreshEntries) -> Void
    ) throws(CMError) -> IncrementalListing {
        var sent = 0
        var walk = HeadWalk(known: known)
        let problem: String?
        if let newest = known.newestCreatedAt, known.unidentifiedInvalid.isEmpty {
            problem = try walkHead(listing, &walk, newest: newest, deadline: deadline, sent: &sent)
        } else {
            problem = "no job known from a previous listing that can be matched"
        }
        if let problem {
            return try completeListing(
                listing, reason: problem, deadline: deadline, sent: sent, onPage: onCompletePage)
        }
        if walk.reachedEnd {
            let result = ListingResult(
                jobs: walk.jobs, invalid: walk.invalid, pages: walk.pages, requests: sent)
            return IncrementalListing(update: .complete(result), requests: sent)
        }
        let stale = known.runningJobs.map(\.id).filter { !walk.seen.contains($0) }.sorted()
        let batch = max(1, min(Self.idBatchSize, client.pageSize))
        for start in stride(from: 0, to: stale.count, by: batch) {
            let ids = Array(stale[start..<min(start + batch, stale.count)])
            if let problem = try reread(listing, ids, into: &walk, deadline: deadline, sent: &sent) {
                return try completeListing(
                    listing, reason: problem, deadline: deadline, sent: sent, onPage: onCompletePage)
            }
        }
        let changes = ListingChanges(jobs: walk.jobs, invalid: walk.invalid)
        return IncrementalListing(update: .changes(changes), requests: sent)
    }

    /// Pages from the newest job until a page holds a known one; returns what went wrong.
    private func walkHead(
        _ listing: Listing, _ walk: inout HeadWalk, newest: Double,
        deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        var skip = 0
        var limit = min(Self.headPageSize, client.pageSize)
        while true {
            let page = try client.listPage(
                listing, skip: skip, limit: limit, deadline: deadline, sent: &sent)
            if let problem = walk.absorb(page, newestKnown: newest) { return problem }
            if walk.reachedKnown { return nil }
            let delivered = page.jobs.count + page.invalid.count
            skip += delivered
            if delivered == 0 || skip >= (page.total ?? Int.max)
                || (page.total == nil && delivered < limit)
            {
                walk.reachedEnd = true
                return nil
            }
            if walk.pages >= Self.headPageCap { return "\(walk.pages) head pages without a known job" }
            limit = client.pageSize
        }
    }

    /// Reads `ids` (jobs that were running) by `id` filter; returns what went wrong.
    private func reread(
        _ listing: Listing, _ ids: [String], into walk: inout HeadWalk,
        deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        let wanted = Set(ids)
        var found: Set<String> = []
        var skip = 0
        while found.count < wanted.count {
            let page = try client.listPage(
                listing, skip: skip, limit: ids.count, filters: ids.map { ("id", $0) },
                deadline: deadline, sent: &sent)
            let delivered = page.jobs.count + page.invalid.count
            guard delivered > 0 else { break }
            if !page.invalid.isEmpty {
                return "a job that was running came back invalid (or the id filter was ignored)"
            }
            for job in page.jobs {
                guard wanted.contains(job.id) else { return "the id filter was not honoured" }
                if found.insert(job.id).inserted { walk.jobs.append(job) }
            }
            skip += delivered
            if skip >= (page.total ?? Int.max) { break }
        }
        return found.count == wanted.count ? nil : "a job that was running vanished"
    }

    private func completeListing(
        _ listing: Listing, reason: String, deadline: ContinuousClock.Instant, sent: Int,
        onPage: (FreshEntries) -> Void
    ) throws(CMError) -> IncrementalListing {
        var walk = try client.listJobs(listing, deadline: deadline, onPage: onPage)
        walk.requests += sent
        return IncrementalListing(
            update: .streamed(walk), requests: walk.requests, fallbackReason: reason)
    }
}

/// What one ``IncrementalLister/poll(_:known:deadline:)`` found.
public struct IncrementalListing: Sendable, Equatable {
    /// The whole listing, or what changed in it.
    public enum Update: Sendable, Equatable {
        /// Every job: apply with ``ListingAggregator/apply(jobs:invalid:)``.
        case complete(ListingResult)
        /// Every job, already handed page by page to the poll's `onCompletePage` (a fallback
        /// to a complete listing, see ``IncrementalLister/poll(_:known:deadline:onCompletePage:)``).
        case streamed(ListingWalk)
        /// New and re-read jobs: apply with ``ListingAggregator/apply(changes:)``.
        case changes(ListingChanges)
    }

    public var update: Update
    /// HTTP requests sent to CM for this poll: logins, retries and any fallback included.
    public var requests: Int
    /// Why the whole listing was walked instead (for the log); nil otherwise.
    public var fallbackReason: String?

    public init(update: Update, requests: Int, fallbackReason: String? = nil) {
        self.update = update
        self.requests = requests
        self.fallbackReason = fallbackReason
    }
}

/// The head pages of one incremental poll: jobs gathered so far and the checks on them.
private struct HeadWalk {
    let known: KnownJobs
    var jobs: [SyncJob] = []
    var invalid: [InvalidJob] = []
    var seen: Set<String> = []
    var pages = 0
    var reachedKnown = false
    var reachedEnd = false
    private var previousCreatedAt = Double.infinity

    init(known: KnownJobs) {
        self.known = known
    }

    /// Takes one head page; returns why the head cannot be trusted, if it cannot.
    mutating func absorb(_ page: JobPage, newestKnown: Double) -> String? {
        pages += 1
        for job in page.jobs {
            if job.createdAt > previousCreatedAt { return "the listing is not newest first" }
            previousCreatedAt = job.createdAt
            if let status = known.status(of: job.id) {
                if !reachedKnown && job.createdAt != newestKnown {
                    return "the newest known job is not the first known job listed"
                }
                reachedKnown = true
                if status != KnownJobStatus.inProgress.rawValue && status != job.status {
                    return "a finished job changed its status"
                }
            }
            if seen.insert(job.id).inserted { jobs.append(job) }
        }
        for entry in page.invalid {
            guard let id = entry.id, !id.isEmpty else { return "an entry without an id" }
            if seen.insert(id).inserted { invalid.append(entry) }
        }
        return nil
    }
}
