/// The catch-ups of one listing under way (``CatchUpGap``s, newest last), kept across polls:
/// usually one (an outage's backlog); another opens when a burst outgrows the head page while
/// the first is still being read.
public struct ListingCatchUp: Sendable {
    public internal(set) var gaps: [CatchUpGap] = []
    /// Pages and jobs of the gaps already closed since the catch-up started.
    public private(set) var closedPages = 0
    public private(set) var closedJobs = 0

    public init() {}

    /// True while a gap is open.
    public var isOpen: Bool { !gaps.isEmpty }
    /// Pages read so far, over every gap of this catch-up.
    public var pages: Int { closedPages + gaps.map(\.pages).reduce(0, +) }
    /// New jobs read so far, over every gap of this catch-up.
    public var jobs: Int { closedJobs + gaps.map(\.jobsRead).reduce(0, +) }
    /// The index of the gap to read next: the newest one not waiting for a head read.
    public var next: Int? { gaps.indices.last { !gaps[$0].waitsForHead } }

    /// Opens a gap (see ``IncrementalLister``): the head page read `seen`, down to `frontier`.
    mutating func open(
        anchor: Double?, cursor: Int, seen: Set<String>, frontier: Double, total: Int?,
        newestFirst: Bool = true
    ) {
        gaps.append(
            CatchUpGap(
                anchor: anchor, cursor: cursor, seen: seen, frontier: frontier, total: total,
                newestFirst: newestFirst))
    }

    /// True while an oldest-first gap is open: it reads the newest jobs itself.
    public var readsTheEnd: Bool { gaps.contains { !$0.newestFirst } }

    /// Jobs not held before were applied (their `createdAt`s), read by gap `reader` (nil: by
    /// a poll): every other gap whose frontier they are above is now that many entries further
    /// down the listing. A poll's head read (`headRead`) also wakes gaps waiting for one.
    public mutating func noteApplied(_ fresh: [Double], readBy reader: Int?, headRead: Bool) {
        // New jobs come after an oldest-first gap's stretch: they do not move it.
        for index in gaps.indices where index != reader && gaps[index].newestFirst {
            let frontier = gaps[index].frontier
            gaps[index].cursor += fresh.reduce(0) { $1 > frontier ? $0 + 1 : $0 }
            if headRead { gaps[index].waitsForHead = false }
        }
    }

    /// Reads the next page of gap `index` (see ``CatchUpGap/step(_:_:known:deadline:)``).
    public mutating func step(
        _ index: Int, _ client: CMClient, _ listing: Listing, known: some KnownListing,
        deadline: ContinuousClock.Instant
    ) throws(CMError) -> CatchUpStep {
        try gaps[index].step(client, listing, known: known, deadline: deadline)
    }

    /// Closes gap `index` (it reached its anchor).
    public mutating func close(_ index: Int) {
        closedPages += gaps[index].pages
        closedJobs += gaps[index].jobsRead
        gaps.remove(at: index)
        if gaps.isEmpty { self = ListingCatchUp() }
    }

    /// Drops every gap: a complete walk reads the whole listing instead.
    public mutating func abandon() { self = ListingCatchUp() }
}
