/// Shown instead of the panes when the terminal is below the minimum size.
enum TooSmallView {
    static func draw(into canvas: inout Canvas, width: Int, height: Int) {
        let lines = ["Terminal too small", "\(width)x\(height), need \(LayoutPlan.minWidth)x\(LayoutPlan.minHeight)", "Ctrl+C twice quits"]
        let top = max((height - lines.count) / 2, 0)
        for (i, l) in lines.enumerated() where top + i < height {
            let w = DisplayWidth.of(l)
            canvas.put(l, x: max((width - w) / 2, 0), y: top + i, style: Style(i == 0 ? .warning : .dim, bold: i == 0))
        }
    }
}
