/// The characters borders are drawn with.
public struct BorderSet: Sendable, Hashable {
    public var horizontal: String
    public var vertical: String
    public var topLeft: String
    public var topRight: String
    public var bottomLeft: String
    public var bottomRight: String

    /// Light box-drawing characters, for UTF-8 locales.
    public static let unicode = BorderSet(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
    /// Plain ASCII, for terminals whose locale is not UTF-8.
    public static let ascii = BorderSet(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")

    /// True for the ASCII set.
    public var isASCII: Bool { self == .ascii }
}
