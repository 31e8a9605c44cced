/// A page rendered from values: its text, and whether it found what was asked (a listing, a
/// job); the server answers 404 with the text when not.
public struct RenderedPage: Sendable, Equatable {
    /// Whether the page holds what was asked for.
    public var found: Bool
    /// The page: HTML or plain text, every value escaped for it.
    public var text: String

    public init(found: Bool, text: String) {
        self.found = found
        self.text = text
    }
}
