import CMWire

/// The newest jobs of an incremental poll, read where the listing's ``ListingOrder`` puts
/// them: from the head when it comes newest first, from the end when it comes oldest first.
/// A read that does not reach a known job within its first page opens a catch-up instead of
/// paging on, when the poll may open one.
extension IncrementalLister {
    /// Reads the newest jobs into `head`; returns why a complete walk is needed, if one is.
    func readNewest(
        _ listing: Listing, _ head: inout NewestJobs, order: ListingOrder, expectedTotal: Int?,
        opensCatchUp: Bool, catchUp: inout ListingCatchUp, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        let known = head.known
        let newest = known.newestCreatedAt
        switch (newest, order) {
        case (_, .oldestFirst) where catchUp.readsTheEnd:
            return nil  // the catch-up reads up to the end of the listing, new jobs included
        case (let newest?, .oldestFirst):
            return try readTail(
                listing, &head, newest: newest, expectedTotal: expectedTotal ?? known.entryCount,
                opensCatchUp: opensCatchUp, catchUp: &catchUp, deadline: deadline, sent: &sent)
        case (_, .unordered) where newest != nil:
            return "the listing comes in no usable order"
        default:
            // Newest first; an empty listing too: whatever it holds now is new.
            return try readHead(
                listing, &head, newest: newest, opensCatchUp: opensCatchUp, catchUp: &catchUp,
                deadline: deadline, sent: &sent)
        }
    }

    /// Newest-first: pages from `skip=0` until a page holds a known job. With `opensCatchUp`,
    /// a first page that holds none opens a gap in `catchUp` (read later, page by page).
    private func readHead(
        _ listing: Listing, _ head: inout NewestJobs, newest: Double?, opensCatchUp: Bool,
        catchUp: inout ListingCatchUp, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        var skip = 0
        var limit = min(Self.headPageSize, client.pageSize)
        while true {
            let page = try client.listPage(
                listing, skip: skip, limit: limit, deadline: deadline, sent: &sent)
            head.total = page.total
            if let problem = head.absorbNewestFirst(page, newestKnown: newest) { return problem }
            if head.reachedKnown { return nil }
            let delivered = page.jobs.count + page.invalid.count
            skip += delivered
            if delivered == 0 || skip >= (page.total ?? Int.max)
                || (page.total == nil && delivered < limit)
            {
                return newest == nil ? nil : "the newest known job is no longer listed"
            }
            if opensCatchUp, let frontier = head.oldestCreatedAt {
                catchUp.open(
                    anchor: newest, cursor: skip, seen: head.seen, frontier: frontier, total: page.total)
                head.openedCatchUp = true
                return nil
            }
            if head.pages >= Self.headPageCap { return "\(head.pages) head pages without a known job" }
            limit = client.pageSize
        }
    }

    /// Oldest-first: pages from just before where the last poll's listing ended, to the end;
    /// then back a page at a time until the newest known job is among the jobs read.
    private func readTail(
        _ listing: Listing, _ head: inout NewestJobs, newest: Double, expectedTotal: Int, opensCatchUp: Bool,
        catchUp: inout ListingCatchUp, deadline: ContinuousClock.Instant, sent: inout Int
    ) throws(CMError) -> String? {
        var window = TailWindow()
        var start = max(0, expectedTotal - 1)
        var skip = start
        var limit = min(Self.headPageSize, client.pageSize)
        var movedBack = false
        while true {
            let page = try client.listPage(
                listing, skip: skip, limit: limit, deadline: deadline, sent: &sent)
            head.total = page.total
            let delivered = page.jobs.count + page.invalid.count
            if delivered == 0, !movedBack, skip == start, start > 0, let total = page.total, total <= start {
                // Jobs were purged from the front: the end moved back (once).
                movedBack = true
                start = max(0, total - Self.headPageSize)
                skip = start
                continue
            }
            window.append(page)
            skip += delivered
            if delivered == 0 || skip >= (page.total ?? Int.max) || (page.total == nil && delivered < limit) {
                break
            }
            if opensCatchUp, window.contains(createdAt: newest, in: head.known) {
                // More new jobs than the first page holds: the rest is read page by page, on
                // to the end of the listing (``CatchUpGap``, oldest first).
                if let problem = head.absorbOldestFirst(window, newestKnown: newest) { return problem }
                catchUp.open(
                    anchor: nil, cursor: skip, seen: head.seen,
                    frontier: window.jobs.last?.createdAt ?? newest,
                    total: page.total, newestFirst: false)
                head.openedCatchUp = true
                return nil
            }
            if window.pages >= Self.headPageCap { return "\(window.pages) tail pages" }
            limit = client.pageSize
        }
        while !window.contains(createdAt: newest, in: head.known), start > 0 {
            let from = max(0, start - client.pageSize)
            let page = try client.listPage(
                listing, skip: from, limit: start - from, deadline: deadline, sent: &sent)
            window.prepend(page)
            start = from
            if window.pages >= Self.headPageCap { return "\(window.pages) tail pages without a known job" }
        }
        return head.absorbOldestFirst(window, newestKnown: newest)
    }
}
