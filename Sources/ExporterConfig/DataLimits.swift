import JobMetrics

/// The limits on what CM data may cost: per listing (``ListingLimits``) and per answer.
public struct DataLimits: Sendable, Equatable {
    public var listing: ListingLimits
    /// Largest answer body accepted (after decompression); a larger one fails the poll with
    /// `reason="decode"`.
    public var responseBytes: Int

    public static let defaultResponseBytes = 32 << 20

    public init(listing: ListingLimits = ListingLimits(), responseBytes: Int = defaultResponseBytes) {
        self.listing = listing
        self.responseBytes = responseBytes
    }
}
