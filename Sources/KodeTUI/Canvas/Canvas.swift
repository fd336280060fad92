/// A grid of cells with semantic styles: what a frame looks like before any terminal sees it.
///
/// Writes are clipped, wide-character aware and self-healing: a wide character that does not
/// fit before the clip edge becomes a space (so a border after it never moves), and
/// overwriting half of a wide character blanks the other half.
public struct Canvas: Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major cells.
    package private(set) var cells: [Cell]
    /// Multi-scalar clusters referenced by cells (see `Cell.code`).
    package private(set) var clusters: [String] = []
    /// Box-drawing characters (Unicode or ASCII, by locale).
    public var borders: BorderSet

    /// A blank canvas.
    public init(width: Int, height: Int, borders: BorderSet = .unicode) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        self.borders = borders
        cells = Array(repeating: .blank(), count: self.width * self.height)
    }

    /// Blanks every cell, keeping the allocation.
    package mutating func clear(_ style: Style = .text) {
        let blank = Cell.blank(style)
        cells.withUnsafeMutableBufferPointer { buf in
            for i in buf.indices { buf[i] = blank }
        }
        clusters.removeAll(keepingCapacity: true)
    }

    /// Resizes and blanks.
    package mutating func resize(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: .blank(), count: self.width * self.height)
        clusters.removeAll()
    }

    /// The cell at (x, y); callers stay in bounds.
    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// The text a cell shows ("" for the right half of a wide character).
    public func text(of cell: Cell) -> String {
        if cell.width == 0 { return "" }
        if cell.code & Cell.clusterFlag != 0 { return clusters[Int(cell.code & ~Cell.clusterFlag)] }
        return String(Character(Unicode.Scalar(cell.code) ?? "?"))
    }

    /// Writes `text` on row `y` from column `x`, clipped to `[x, maxX)` and the canvas. Returns
    /// the column after the last cell written. Control characters (which sanitized text never
    /// contains) are drawn as U+FFFD, so nothing raw can reach a terminal even by mistake.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, style: Style, maxX: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(maxX ?? width, width)
        var col = x
        var ascii = true
        for b in text.utf8 where b >= 0x80 || b < 0x20 || b == 0x7F { ascii = false; break }
        if ascii {
            for b in text.utf8 {
                if col >= limit { break }
                if col >= 0 { set(col, y, Cell(code: UInt32(b), width: 1, style: style)) }
                col += 1
            }
            return col
        }
        for ch in text {
            if col >= limit { break }
            var w = DisplayWidth.of(ch)
            var code: UInt32
            let scalars = ch.unicodeScalars
            if scalars.count == 1, let s = scalars.first {
                code = s.value
                if code < 0x20 || (code >= 0x7F && code < 0xA0) {
                    code = 0xFFFD
                    w = 1
                }
            } else {
                code = Cell.clusterFlag | UInt32(clusters.count)
                clusters.append(String(ch))
            }
            if w == 0 { continue }  // stray zero-width scalars: nothing to draw
            if col < 0 {
                col += w
                continue
            }
            if w == 2 && col + 1 >= limit {
                // A wide character that would straddle the edge: pad instead of breaking a border.
                set(col, y, Cell(code: 0x20, width: 1, style: style))
                col += 1
                break
            }
            set(col, y, Cell(code: code, width: UInt8(w), style: style))
            if w == 2 { set(col + 1, y, Cell(code: 0, width: 0, style: style)) }
            col += w
        }
        return col
    }

    /// Fills `rect` with blanks in `style`.
    package mutating func fill(_ rect: Rect, style: Style) {
        let blank = Cell.blank(style)
        for yy in max(rect.y, 0)..<min(rect.maxY, height) {
            for xx in max(rect.x, 0)..<min(rect.maxX, width) { set(xx, yy, blank) }
        }
    }

    /// Draws a border around `rect` with an optional title in its top edge.
    package mutating func box(_ rect: Rect, style: Style, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let b = borders
        let top = rect.y, bottom = rect.maxY - 1, left = rect.x, right = rect.maxX - 1
        put(b.topLeft, x: left, y: top, style: style)
        put(b.topRight, x: right, y: top, style: style)
        put(b.bottomLeft, x: left, y: bottom, style: style)
        put(b.bottomRight, x: right, y: bottom, style: style)
        if rect.width > 2 {
            let h = String(repeating: b.horizontal, count: rect.width - 2)
            put(h, x: left + 1, y: top, style: style)
            put(h, x: left + 1, y: bottom, style: style)
        }
        if rect.height > 2 {
            for yy in (top + 1)..<bottom {
                put(b.vertical, x: left, y: yy, style: style)
                put(b.vertical, x: right, y: yy, style: style)
            }
        }
        if let title, rect.width > 4 {
            put(" " + title + " ", x: left + 2, y: top, style: titleStyle ?? style, maxX: right - 1)
        }
    }

    /// One row as plain text (wide characters once, no trailing-space trimming).
    public func rowText(_ y: Int) -> String {
        var s = ""
        for xx in 0..<width {
            let c = self[xx, y]
            if c.width == 0 { continue }
            s += text(of: c)
        }
        return s
    }

    /// Sets one cell, healing any wide character it cuts in half.
    @inline(__always)
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width else { return }
        let i = y * width + x
        let old = cells[i]
        if old.width == 0, x > 0, cell.width != 0 {
            // Overwriting the right half: the left half would show half a glyph.
            cells[i - 1] = Cell.blank(cells[i - 1].style)
        } else if old.width == 2, cell.width != 2, x + 1 < width {
            cells[i + 1] = Cell.blank(old.style)
        }
        cells[i] = cell
    }
}
