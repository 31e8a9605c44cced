/// The shape of one listing request, as its query shows it: which filter it used, whether it
/// asked for the first entries (`skip=0`), and its `limit`. Tests and the benchmark tell from
/// it what kind of read a client made (a head page, a running-set page, a total) without the
/// simulator knowing any client.
public struct ListingRequestShape: Sendable, Hashable, CustomStringConvertible {
    /// The filter a listing request used.
    public enum Filter: String, Sendable, Hashable {
        /// No filter: the whole listing.
        case none
        /// `overall_status` (the running set, or a status's total).
        case status
        /// `id` (one job looked up through the listing).
        case id
        /// A scope array (`kms`, `key_vaults`, …) without an `id` or `overall_status`.
        case scope
    }

    public var listing: String
    public var filter: Filter
    /// True when the request asked from the first entry (`skip=0`).
    public var fromStart: Bool
    /// The `limit` served (after the simulator's clamp).
    public var limit: Int

    public init(listing: String, filter: Filter, fromStart: Bool, limit: Int) {
        self.listing = listing
        self.filter = filter
        self.fromStart = fromStart
        self.limit = limit
    }

    init(listing: String, query: JobQuery) {
        let filter: Filter =
            query.ids != nil ? .id : !query.statuses.isEmpty ? .status : query.scope.isEmpty ? .none : .scope
        self.init(listing: listing, filter: filter, fromStart: query.skip == 0, limit: query.limit)
    }

    public var description: String {
        "\(listing) filter=\(filter.rawValue) \(fromStart ? "skip=0" : "skip>0") limit=\(limit)"
    }
}
