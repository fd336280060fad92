/// A run of text in one style.
public struct Span: Sendable, Hashable {
    public var text: String
    public var style: Style
    /// A span.
    public init(_ text: String, _ style: Style) {
        self.text = text
        self.style = style
    }
}

/// One laid-out line: spans drawn left to right.
public struct StyledLine: Sendable, Hashable {
    public var spans: [Span]
    /// A line of spans.
    public init(_ spans: [Span]) { self.spans = spans }
    /// A line of one span.
    public init(_ text: String, _ style: Style) { spans = [Span(text, style)] }

    /// The plain text (for search and tests).
    public var text: String { spans.map(\.text).joined() }
}
