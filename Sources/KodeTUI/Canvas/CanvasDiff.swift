/// The cells that changed between two frames of the same size, as runs on each row: what a
/// backend has to send to the terminal.
package struct CanvasDiff: Sendable {
    /// One run of changed cells on a row: columns `[x, x + count)`.
    package struct Run: Sendable, Hashable {
        package var y: Int
        package var x: Int
        package var count: Int
    }

    package var runs: [Run]

    /// Every cell of `new` when there is no previous frame or its size differs.
    package static func between(_ old: Canvas?, _ new: Canvas) -> CanvasDiff {
        guard let old, old.width == new.width, old.height == new.height else {
            return CanvasDiff(runs: (0..<new.height).map { Run(y: $0, x: 0, count: new.width) })
        }
        var runs: [Run] = []
        let w = new.width
        old.cells.withUnsafeBufferPointer { a in
            new.cells.withUnsafeBufferPointer { b in
                for y in 0..<new.height {
                    var x = 0
                    let base = y * w
                    while x < w {
                        if same(old, a[base + x], new, b[base + x]) {
                            x += 1
                            continue
                        }
                        var start = x
                        // A changed right half means its left half must be redrawn too.
                        if b[base + x].width == 0 && x > 0 { start = x - 1 }
                        while x < w && !same(old, a[base + x], new, b[base + x]) { x += 1 }
                        if x < w && b[base + x].width == 0 { x += 1 }
                        if let last = runs.last, last.y == y, last.x + last.count >= start {
                            runs[runs.count - 1].count = x - last.x
                        } else {
                            runs.append(Run(y: y, x: start, count: x - start))
                        }
                    }
                }
            }
        }
        return CanvasDiff(runs: runs)
    }

    /// Number of cells to redraw.
    package var cellCount: Int { runs.reduce(0) { $0 + $1.count } }

    @inline(__always)
    private static func same(_ oa: Canvas, _ a: Cell, _ ob: Canvas, _ b: Cell) -> Bool {
        if a != b { return false }
        if a.code & Cell.clusterFlag == 0 || a.width == 0 { return true }
        return oa.text(of: a) == ob.text(of: b)
    }
}
