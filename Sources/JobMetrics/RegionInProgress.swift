/// A region (scope) in progress inside a running job: the labels `cloud_account` and
/// `cloud_region` of `cckm_sync_region_in_progress`.
public struct RegionInProgress: Sendable, Hashable, Comparable {
    public let cloudAccount: String
    public let cloudRegion: String

    public init(cloudAccount: String, cloudRegion: String) {
        self.cloudAccount = cloudAccount
        self.cloudRegion = cloudRegion
    }

    /// Splits a `detailed_status` scope key into account and region.
    ///
    /// The key splits at its FIRST `/` only when the part before it is all ASCII digits and
    /// both parts are non-empty, the AWS form `ACCOUNT/REGION` (`123456789012/us-east-1` →
    /// `cloud_account="123456789012"`, `cloud_region="us-east-1"`). Any other key keeps its
    /// whole text as the region with an empty account: an Azure vault name (`my-vault`), a
    /// GCP key ring's full name (`projects/p/locations/l/keyRings/r`), an OCI vault, … —
    /// splitting those at a `/` would invent an "account" out of a path segment.
    public init(scope: String) {
        let utf8 = scope.utf8
        if let slash = utf8.firstIndex(of: UInt8(ascii: "/")),
            slash != utf8.startIndex, utf8.index(after: slash) != utf8.endIndex,
            utf8[..<slash].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        {
            cloudAccount = String(scope[..<slash])
            cloudRegion = String(scope[utf8.index(after: slash)...])
        } else {
            cloudAccount = ""
            cloudRegion = scope
        }
    }

    /// Byte order of (account, region): stable across runs and platforms.
    public static func < (a: RegionInProgress, b: RegionInProgress) -> Bool {
        if a.cloudAccount != b.cloudAccount {
            return a.cloudAccount.utf8.lexicographicallyPrecedes(b.cloudAccount.utf8)
        }
        return a.cloudRegion.utf8.lexicographicallyPrecedes(b.cloudRegion.utf8)
    }
}
