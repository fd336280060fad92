/// A terminal in memory: keeps the last flushed frame and renders it as text. Used by tests,
/// golden snapshots and benchmarks; it runs the same diff a real terminal would get.
public final class MemoryBackend: TerminalBackend {
    public private(set) var width: Int
    public private(set) var height: Int
    public let capabilities: TerminalCapabilities
    /// The last frame flushed.
    public private(set) var screen: Canvas
    public private(set) var cursor: (x: Int, y: Int)?
    /// Flushes so far, and cells sent by the last one (what a terminal would be sent).
    public private(set) var flushCount = 0
    public private(set) var lastDiffCells = 0
    public private(set) var started = false
    public private(set) var suspended = false
    private var valid = false
    private var pendingSize: (Int, Int)?

    /// A terminal of `width`×`height`.
    public init(width: Int, height: Int, capabilities: TerminalCapabilities = TerminalCapabilities(unicode: true, colors: 256)) {
        self.width = width
        self.height = height
        self.capabilities = capabilities
        screen = Canvas(width: width, height: height)
    }

    public func start() throws { started = true }

    public func flush(_ canvas: Canvas, cursor: (x: Int, y: Int)?) {
        let diff = CanvasDiff.between(valid ? screen : nil, canvas)
        lastDiffCells = diff.cellCount
        screen = canvas
        self.cursor = cursor
        valid = true
        flushCount += 1
    }

    public func invalidate() { valid = false }

    /// Simulates a terminal resize; the next `updateSize` reports it.
    public func resize(width: Int, height: Int) { pendingSize = (width, height) }

    public func updateSize() -> Bool {
        guard let (w, h) = pendingSize else { return false }
        pendingSize = nil
        let changed = w != width || h != height
        width = w
        height = h
        valid = false
        return changed
    }

    public func suspend() { suspended = true }
    public func resume() {
        suspended = false
        valid = false
    }
    public func stop() { started = false }

    /// Every byte written outside frames (`emit`), in order.
    public private(set) var emitted: [UInt8] = []
    /// The theme in use (nil: the one the backend was made with, which it does not know).
    public private(set) var theme: Theme?

    public func emit(_ bytes: [UInt8]) { emitted += bytes }

    public func use(_ theme: Theme) {
        self.theme = theme
        valid = false
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    public func text() -> String {
        (0..<screen.height).map { y in
            var row = screen.rowText(y)
            while row.last == " " { row.removeLast() }
            return row
        }.joined(separator: "\n")
    }
}
