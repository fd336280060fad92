/// A run of text in one style.
package struct Span: Sendable, Hashable {
    package var text: String
    package var style: Style
    /// A span.
    package init(_ text: String, _ style: Style) {
        self.text = text
        self.style = style
    }
}

/// One laid-out line: spans drawn left to right.
package struct StyledLine: Sendable, Hashable {
    package var spans: [Span]
    /// A line of spans.
    package init(_ spans: [Span]) { self.spans = spans }
    /// A line of one span.
    package init(_ text: String, _ style: Style) { spans = [Span(text, style)] }

    /// The plain text (for search and tests).
    package var text: String { spans.map(\.text).joined() }
}
