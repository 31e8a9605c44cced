import CMWire

/// Jobs as tests write them: a running job, a finished one, ids that sort as their number.

public func running(_ id: String, created: Double, details: [(String, String)] = []) -> SyncJob {
    SyncJob(
        id: id, status: "in_progress", createdAt: created,
        detailedStatus: details.map(SyncJob.ScopeStatus.init))
}

public func finished(
    _ id: String, _ status: String, created: Double, completed: Double, details: [(String, String)] = [],
    abort: Bool = false
) -> SyncJob {
    SyncJob(
        id: id, status: status, createdAt: created, completedAt: completed, abortRequested: abort,
        detailedStatus: details.map(SyncJob.ScopeStatus.init))
}

/// A canonical UUID text whose last group is `n`.
public func uuid(_ n: Int) -> String {
    let digits = String(n, radix: 16)
    return "0ea5d52e-387c-44fa-b079-" + String(repeating: "0", count: 12 - digits.count) + digits
}
