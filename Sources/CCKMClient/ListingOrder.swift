/// The order a listing's pages come in, as observed on a complete walk: the exporter asks
/// for `sort=-createdAt`, which CM documents only for some listings, and its default order is
/// undocumented (API-FACTS), so the order is verified at run time.
public enum ListingOrder: String, Sendable, Equatable {
    /// Newest `createdAt` first, as asked: new jobs are read from the head (`skip=0`).
    case newestFirst = "newest first"
    /// Oldest first (`sort` ignored): new jobs are read from the end (`skip = total − k`).
    case oldestFirst = "oldest first"
    /// Neither: new jobs cannot be found without walking everything, so every poll is a
    /// complete walk.
    case unordered = "no usable order"

    /// What the status page and the log say about a listing in this order; nil for the
    /// order asked for.
    public var note: String? {
        switch self {
        case .newestFirst: nil
        case .oldestFirst:
            "the listing comes oldest first (sort=-createdAt is not honoured): new jobs are read from its end"
        case .unordered:
            "the listing comes in no usable order (sort=-createdAt is not honoured): every poll walks the whole listing"
        }
    }
}

/// Watches the `createdAt` of a complete walk's jobs, in the order they are listed, and tells
/// the ``ListingOrder`` they follow. Jobs created while paging shift pages, but the pager's
/// de-duplication keeps the sequence of new jobs in order either way.
public struct ListingOrderObserver: Sendable, Equatable {
    private var previous: Double?
    private var rises = 0
    private var falls = 0

    public init() {}

    /// Takes the next job's `createdAt`, in listing order.
    public mutating func observe(_ createdAt: Double) {
        if let previous {
            if createdAt > previous { rises += 1 } else if createdAt < previous { falls += 1 }
        }
        previous = createdAt
    }

    /// The order seen so far. A listing with fewer than two distinct `createdAt` values shows
    /// no order: it is taken as the one asked for (a later walk tells again).
    public var order: ListingOrder {
        switch (rises, falls) {
        case (0, _): .newestFirst
        case (_, 0): .oldestFirst
        default: .unordered
        }
    }
}

extension ListingOrderObserver {
    /// Why the jobs observed so far, read in listing order, contradict `order` (the one the
    /// last complete walk found, by which a poll reads the newest jobs), if they do: a later
    /// job created after an earlier one in a newest-first read, before it in an oldest-first one.
    func contradiction(of order: ListingOrder) -> String? {
        switch order {
        case .newestFirst: rises == 0 ? nil : "the listing is not newest first"
        case .oldestFirst: falls == 0 ? nil : "the listing is not oldest first"
        case .unordered: nil
        }
    }
}
