/// One screen cell. Eight bytes: most cells hold a single scalar inline; a multi-scalar
/// cluster (emoji with modifiers, a letter with combining marks) lives in the canvas's cluster
/// table and the cell holds its index.
public struct Cell: Sendable, Hashable {
    /// A scalar value, or `Cell.clusterFlag | index` into `Canvas.clusters`, or 0 for the
    /// right half of a wide character (drawn by the cell to its left).
    public var code: UInt32
    /// Columns the cell's content takes: 1, 2, or 0 for a wide character's right half.
    public var width: UInt8
    public var style: Style

    /// The flag bit marking `code` as a cluster-table index (above the Unicode range).
    public static let clusterFlag: UInt32 = 0x8000_0000

    /// A blank cell in `style`.
    public static func blank(_ style: Style = .text) -> Cell { Cell(code: 0x20, width: 1, style: style) }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}
