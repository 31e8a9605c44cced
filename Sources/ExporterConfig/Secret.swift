/// A password or token: compared by value, never printed.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    /// `dump()` and debuggers see no value either.
    public var customMirror: Mirror { Mirror(self, children: []) }
}
