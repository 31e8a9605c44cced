/// How the simulated CipherTrust Manager reads the parts of the listing API that CM does not
/// document (API-FACTS): the exporter must be right whichever way a real CM behaves, so each
/// undocumented behaviour can be switched to the other way it could go.
public struct APIBehaviour: Sendable, Equatable {
    /// Whether `sort` is honoured. When not (as the AWS listing may do: `sort` is documented
    /// only for the Google and Salesforce listings), every listing comes in ``defaultOrder``.
    public var sortHonoured: Bool
    /// The order listings come in without `sort`, or when it is ignored.
    public var defaultOrder: DefaultOrder
    /// How many `id` filter values are honoured: nil for all, 1 for the one value the API
    /// documents (the others are ignored).
    public var idFilterValues: Int?
    /// Wall time each listing page takes to answer, in seconds (a CM paging a long history).
    public var pageLatencySeconds: Double
    /// Old jobs of each listing's history that never finish (stuck `in_progress`).
    public var stuckJobs: Int
    /// The HTTP status `GET …/{id}` answers for an id the listing does not hold: 404, or 500
    /// `NCERRInternalServerError` as a real CM was seen answering (API-FACTS).
    public var unknownJobStatus = 404
    /// Whether the documented `overall_status` filter is honoured; when not, a filtered listing
    /// answers every status (the exporter then reads running jobs one by one).
    public var statusFilterHonoured = true
    /// Nodes behind a round-robin balancer, some of them lagging.
    public var cluster = ClusterBehaviour()
    /// A silent page cap and the shape of empty pages.
    public var pages = PageBehaviour()

    /// The order of a listing without (or ignoring) `sort`.
    public enum DefaultOrder: String, Sendable, Equatable {
        case newestFirst = "newest-first"
        case oldestFirst = "oldest-first"
    }

    public init(
        sortHonoured: Bool = true, defaultOrder: DefaultOrder = .newestFirst,
        idFilterValues: Int? = nil, pageLatencySeconds: Double = 0, stuckJobs: Int = 0
    ) {
        self.sortHonoured = sortHonoured
        self.defaultOrder = defaultOrder
        self.idFilterValues = idFilterValues
        self.pageLatencySeconds = pageLatencySeconds
        self.stuckJobs = stuckJobs
    }

    /// `query` as this CM reads it.
    func reading(_ query: JobQuery, sortGiven: Bool) -> JobQuery {
        var query = query
        if !sortHonoured || !sortGiven {
            query.sort = defaultOrder == .newestFirst ? .newestCreatedFirst : .oldestCreatedFirst
        }
        if let limit = idFilterValues, let ids = query.ids { query.ids = Array(ids.prefix(limit)) }
        if !statusFilterHonoured { query.statuses = [] }
        return query
    }
}
