/// How listing pages are shaped where CM does not document it (API-FACTS): a silent cap on
/// the jobs of a page, and the shape of an empty page.
public struct PageBehaviour: Sendable, Equatable {
    /// At most this many jobs per page, while the answer's `limit` still says what was asked
    /// (nil: only ``SimulatorConfiguration/maxPageSize``, which the answer admits).
    public var silentCap: Int?
    /// How a page with no jobs is written.
    public var emptyPage: EmptyPageShape

    /// The shapes of an empty page seen from CM or its clients.
    public enum EmptyPageShape: String, Sendable, Equatable, CaseIterable {
        /// `"resources": []` with `total`.
        case emptyArray = "empty-array"
        /// `"resources": null` with `total`.
        case null
        /// Neither `resources` nor `total` (Thales' Terraform provider: CM omits `resources`
        /// when nothing matches).
        case absent
    }

    public init(silentCap: Int? = nil, emptyPage: EmptyPageShape = .emptyArray) {
        self.silentCap = silentCap
        self.emptyPage = emptyPage
    }

    func validate() throws(SimulatorError) {
        if let silentCap, silentCap < 1 { throw SimulatorError("silent page cap: must be at least 1") }
    }
}
