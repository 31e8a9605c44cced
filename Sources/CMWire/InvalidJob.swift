/// Why a job in a listing was skipped: the `reason` label of `cckm_jobs_invalid_total`.
public enum InvalidJobReason: String, CaseIterable, Sendable, Comparable {
    /// No `id`, or an `id` that is not a non-empty string.
    case missingID = "missing_id"
    /// `createdAt` missing or not RFC 3339.
    case badCreatedAt = "bad_created_at"
    /// Not a JSON object, or a known field of the wrong type (e.g. `overall_status` a number).
    case malformed

    public static func < (a: InvalidJobReason, b: InvalidJobReason) -> Bool { a.rawValue < b.rawValue }
}

/// A job the decoder had to skip, with its id when it had a usable one.
public struct InvalidJob: Sendable, Equatable {
    public var id: String?
    public var reason: InvalidJobReason
    public init(id: String?, reason: InvalidJobReason) {
        self.id = id
        self.reason = reason
    }
}
