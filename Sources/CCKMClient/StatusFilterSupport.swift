/// Whether a CM honours the documented `overall_status` filter, as its answers showed.
public enum StatusFilterSupport: Sendable, Equatable {
    /// Not asked yet.
    case unverified
    /// Every answer held only jobs of the status asked for.
    case honoured
    /// An answer held another status: the filter is not used again for this listing.
    case ignored
}
