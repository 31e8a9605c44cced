/// Identifies one listing of one CipherTrust Manager: the `cm` and `cloud` labels.
public struct ListingKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The CM's configured name (`cm` label).
    public let cm: String
    /// The listing's name from the contract's table (`cloud` label), e.g. `aws`, `sfdc-keys`.
    public let cloud: String

    public init(cm: String, cloud: String) {
        self.cm = cm
        self.cloud = cloud
    }

    public static func < (a: ListingKey, b: ListingKey) -> Bool {
        (a.cm, a.cloud) < (b.cm, b.cloud)
    }

    public var description: String { "\(cm)/\(cloud)" }
}
