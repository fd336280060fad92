/// The approval modal's input laid out once per request and width: a diff of a large write is
/// thousands of lines, and a frame only shows a slice of them, so the lines are kept and each
/// frame slices the visible part. Owned by the UI loop (not shared across threads).
///
/// The key is everything the layout reads: the request, the state of its tool cell (the file
/// read for line numbers arrives later and bumps the cell's version), whether the read is still
/// on its way, the width, collapsed or expanded, the glyph set and the working directory shown
/// above a command. A resize changes the width and so lays out again. The theme is not part of
/// the key because laid-out lines carry style roles, not colours: the backend maps roles to
/// colours when it draws, so a theme change needs no new layout.
package final class ApprovalLayoutCache {
    struct Key: Hashable {
        var callId: String
        var cellId: Int?
        var cellVersion: Int?
        var reading: Bool
        var inner: Int
        var expanded: Bool
        var unicode: Bool
        var workDir: String?
    }

    private var key: Key?
    private var lines: [StyledLine] = []
    /// How many times the input was laid out (tests and benches count the misses).
    package private(set) var layouts = 0

    /// An empty cache.
    package init() {}

    /// The lines for `key`, laid out with `make` when the key is not the one held. One entry:
    /// the modal shows one request at a time.
    func lines(for key: Key, make: () -> [StyledLine]) -> [StyledLine] {
        if key == self.key { return lines }
        layouts += 1
        lines = make()
        self.key = key
        return lines
    }
}
