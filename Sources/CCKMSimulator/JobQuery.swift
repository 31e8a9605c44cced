import HTTPServer

/// The query of a listing request: paging, order and filters, validated.
struct JobQuery: Sendable, Equatable {
    var skip = 0
    var limit = 10
    var sort = SortOrder.newestCreatedFirst
    /// `id` filter values (any of them); nil when not filtered.
    var ids: [String]?
    /// `overall_status` filter values (any of them); empty when not filtered.
    var statuses: [String] = []
    /// Scope filters: key → values; a job matches when its array holds any of the values.
    var scope: [String: [String]] = [:]
    /// True when the request named a `sort`.
    var sortGiven = false

    /// The orders `sort` takes: a field, with `-` for descending.
    enum SortOrder: String, Sendable, CaseIterable {
        case newestCreatedFirst = "-createdAt"
        case oldestCreatedFirst = "createdAt"
        case newestUpdatedFirst = "-updatedAt"
        case oldestUpdatedFirst = "updatedAt"
    }

    var isUnfiltered: Bool { ids == nil && statuses.isEmpty && scope.isEmpty }

    /// Reads `skip`, `limit` (default 10, clamped to `maxPageSize`), `sort`, `id`,
    /// `overall_status` and the listing's scope keys. Unknown keys are ignored, as CM does.
    init(request: HTTPRequest, listing: ListingDescriptor, maxPageSize: Int)
        throws(APIError)
    {
        if let text = request.queryValue("skip") {
            guard let value = Int(text), value >= 0 else {
                throw APIError.badRequest("skip must be a non-negative integer, got \"\(text)\"")
            }
            skip = value
        }
        if let text = request.queryValue("limit") {
            guard let value = Int(text), value >= 0 else {
                throw APIError.badRequest("limit must be a non-negative integer, got \"\(text)\"")
            }
            limit = value == 0 ? 10 : min(value, maxPageSize)
        }
        limit = min(limit, maxPageSize)
        if let text = request.queryValue("sort"), !text.isEmpty {
            guard let order = SortOrder(rawValue: text) else {
                throw APIError.badRequest("unsupported sort field \"\(text)\"")
            }
            sort = order
            sortGiven = true
        }
        let ids = request.queryValues("id")
        self.ids = ids.isEmpty ? nil : ids
        statuses = request.queryValues("overall_status")
        for key in listing.scopeFilterKeys {
            let values = request.queryValues(key)
            if !values.isEmpty { scope[key] = values }
        }
    }

    init() {}
}

/// The slice of a listing one request asked for (`skip`, `limit`, the matching `total`), with
/// the jobs rendering needs (copied out of the lock).
struct ListingSlice: Sendable {
    var skip: Int
    var limit: Int
    var total: Int
    var jobs: [SimulatedJob]
}

extension JobStore {
    /// Applies `query` at `now`: the matching total and the requested page.
    func page(_ query: JobQuery, at now: Double) -> ListingSlice {
        if query.isUnfiltered && query.sort == .newestCreatedFirst {
            // The common case stays O(limit) for any history size.
            let end = max(0, jobs.count - query.skip)
            let start = max(0, end - query.limit)
            return ListingSlice(
                skip: query.skip, limit: query.limit, total: jobs.count,
                jobs: Array(jobs[start..<end].reversed()))
        }
        var matches = matchingIndices(query, at: now)
        sort(&matches, by: query.sort, at: now)
        let page = matches.dropFirst(query.skip).prefix(query.limit).map { jobs[$0] }
        return ListingSlice(skip: query.skip, limit: query.limit, total: matches.count, jobs: page)
    }

    private func matchingIndices(_ query: JobQuery, at now: Double) -> [Int] {
        // Scope filters depend on the pattern only: decide once per pattern.
        let patternMatches = patterns.map { pattern in
            query.scope.allSatisfy { key, wanted in
                pattern.values(of: key).map { !Set($0).isDisjoint(with: wanted) } ?? false
            }
        }
        let candidates: [Int]
        if let ids = query.ids {
            candidates = Set(ids.compactMap { JobID($0).flatMap(index(of:)) }).sorted()
        } else {
            candidates = Array(jobs.indices)
        }
        let statuses = Set(query.statuses)
        let finishedStatuses = statuses.subtracting(["in_progress"])
        // `overall_status=in_progress` is what an incremental poller asks for over a long
        // history: decide running jobs without building their status text.
        func statusMatches(_ job: SimulatedJob) -> Bool {
            if statuses.isEmpty { return true }
            if !job.isFinished(at: now) { return statuses.contains("in_progress") }
            return !finishedStatuses.isEmpty && finishedStatuses.contains(status(of: job, at: now))
        }
        return candidates.filter { index in
            let job = jobs[index]
            return patternMatches[Int(job.pattern)] && statusMatches(job)
        }
    }

    private func sort(_ indices: inout [Int], by order: JobQuery.SortOrder, at now: Double) {
        switch order {
        case .oldestCreatedFirst:
            break  // already in creation order
        case .newestCreatedFirst:
            indices.reverse()
        case .newestUpdatedFirst, .oldestUpdatedFirst:
            let keyed = indices.map { ($0, jobs[$0].timeline(at: now).updatedAt) }
            let ascending = keyed.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            indices =
                order == .oldestUpdatedFirst
                ? ascending.map(\.0) : ascending.reversed().map(\.0)
        }
    }
}
