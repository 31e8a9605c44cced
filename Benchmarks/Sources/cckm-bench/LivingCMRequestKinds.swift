import CCKMClient
import CCKMSimulator

/// The CM requests of the living-CM benchmark by kind, told from what the simulator saw
/// (endpoint and listing request shape, ``ListingRequestShape``) and the exporter's page sizes.
struct LivingCMRequestKinds {
    /// The kinds, in the order the table shows them.
    static let kinds = [
        "login", "head page", "pages past the head (catch-up, walk)",
        "full page from the top (walk, catch-up backing off)",
        "running-set page", "single-job read", "id-filter read", "far end", "consistency totals", "other",
    ]

    private(set) var counts: [String: Int] = [:]

    /// The requests between `start` and `end`, for a listing polled with `pageSize`.
    init(from start: SimulatorStats, to end: SimulatorStats, listing: String, pageSize: Int) {
        func delta(_ key: String) -> Int { end.requests(key) - start.requests(key) }
        counts["login"] = delta("auth")
        counts["single-job read"] = delta("get:\(listing)")
        var listed = 0
        for (shape, count) in end.listingShapes where shape.listing == listing {
            let count = count - (start.listingShapes[shape] ?? 0)
            listed += count
            counts[Self.kind(of: shape, pageSize: pageSize), default: 0] += count
        }
        let known = (counts["login"] ?? 0) + (counts["single-job read"] ?? 0) + listed
        counts["other"] = (end.apiRequests - start.apiRequests) - known
    }

    /// The kind of read a listing request of `shape` is, for the exporter's page sizes (the
    /// head page asks `IncrementalLister.headPageSize`, the far end 10, the totals 1).
    static func kind(of shape: ListingRequestShape, pageSize: Int) -> String {
        switch shape.filter {
        case .id: return "id-filter read"
        case .status: return shape.limit == 1 ? "consistency totals" : "running-set page"
        case .scope: return "other"
        case .none:
            if shape.limit == 1 { return "consistency totals" }
            if shape.limit == 10 { return "far end" }
            if shape.fromStart {
                return shape.limit == min(IncrementalLister.headPageSize, pageSize)
                    ? "head page" : "full page from the top (walk, catch-up backing off)"
            }
            return "pages past the head (catch-up, walk)"
        }
    }

    func perPoll(_ kind: String, polls: Double) -> String {
        String(format: "%.1f", Double(counts[kind] ?? 0) / polls)
    }
}
