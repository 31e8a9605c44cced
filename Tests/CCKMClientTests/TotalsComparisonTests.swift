import CCKMClient
import CMWire
import Testing

/// What is held, as the consistency check sees it: counts per status and invalid entries.
private struct Held: KnownListing {
    var byStatus: [String: Int]
    var invalid = 0

    var count: Int { byStatus.values.reduce(0, +) }
    var entryCount: Int { count + invalid }
    var newestCreatedAt: Double? { nil }
    var runningJobs: [SyncJob] { [] }
    func contains(_ id: String) -> Bool { false }
    func status(of id: String) -> String? { nil }
    func jobCount(status: String) -> UInt64 { UInt64(byStatus[status] ?? 0) }
    func heldStatus(_ status: String) -> String { status }
}

/// CM's totals against what was held before and after they were read: what happened between
/// the reads is no mismatch, a purge or a `total` that lies is.
@Suite struct TotalsComparisonTests {
    let before = HeldCounts(Held(byStatus: ["in_progress": 3, "completed": 50, "failed": 5]))
    // Two jobs created (one running), two running jobs finished (completed, failed).
    let after = HeldCounts(Held(byStatus: ["in_progress": 2, "completed": 52, "failed": 6]))

    private func totals(_ all: Int, _ running: Int, _ completed: Int, _ failed: Int) -> ListingTotals {
        ListingTotals(
            all: all,
            byStatus: ["in_progress": running, "completed": completed, "failed": failed, "aborted": 0])
    }

    @Test("jobs created or finished between the reads are no mismatch")
    func changesBetweenTheReads() {
        for all in 58...60 {
            for running in 1...4 {
                #expect(totals(all, running, 51, 5).mismatch(heldBefore: before, heldAfter: after) == nil)
            }
        }
        #expect(totals(60, 2, 52, 6).mismatch(heldBefore: before, heldAfter: after) == nil)
    }

    @Test("a purge: CM holds fewer than before, said by how many")
    func purge() throws {
        let mismatch = try #require(totals(40, 2, 32, 6).mismatch(heldBefore: before, heldAfter: after))
        #expect(mismatch.cmHoldsFewer)
        #expect(mismatch.excess["total"] == -18)
        #expect(mismatch.excess["completed"] == -18)
        #expect(mismatch.description.contains("total -18 (CM 40, 60 held)"))
    }

    @Test("a total that counts five entries more than anything held allows, the same every time")
    func lyingTotal() throws {
        let first = try #require(totals(65, 2, 52, 6).mismatch(heldBefore: before, heldAfter: after))
        #expect(!first.cmHoldsFewer)
        #expect(first.excess == ["total": 5])
        let quiet = HeldCounts(Held(byStatus: ["in_progress": 2, "completed": 52, "failed": 6]))
        #expect(totals(65, 2, 52, 6).mismatch(heldBefore: quiet, heldAfter: quiet) == first)
        #expect(totals(66, 2, 52, 6).mismatch(heldBefore: quiet, heldAfter: quiet) != first)
    }

    @Test("invalid entries held count under a status the exporter does not know")
    func invalidEntriesAreSlack() {
        let held = HeldCounts(Held(byStatus: ["in_progress": 0, "completed": 10], invalid: 2))
        #expect(totals(12, 0, 12, 0).mismatch(heldBefore: held, heldAfter: held) == nil)
        #expect(totals(12, 0, 13, 0).mismatch(heldBefore: held, heldAfter: held) != nil)
    }
}
