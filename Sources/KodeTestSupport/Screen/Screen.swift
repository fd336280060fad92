import Foundation
import KodeTUI

/// The app's screen as a test reads it: a model rendered by the app's own `Renderer` into a
/// fresh canvas, and (for text) flushed through the in-memory backend, so the text is what a
/// terminal would have been sent, not only what the canvas holds.
package enum Screen {
    /// The model's frame at `now`.
    package static func canvas(_ model: AppModel, now: Date) -> Canvas {
        var canvas = Canvas(width: model.width, height: model.height)
        Renderer.render(model, into: &canvas, now: now)
        return canvas
    }

    /// The screen after flushing the frame to a `MemoryBackend`: one line per row, trailing
    /// spaces trimmed.
    package static func text(_ model: AppModel, now: Date) -> String {
        let backend = MemoryBackend(width: model.width, height: model.height)
        var canvas = Canvas(width: model.width, height: model.height)
        let cursor = Renderer.render(model, into: &canvas, now: now)
        backend.flush(canvas, cursor: cursor)
        return backend.text()
    }

    /// `text` split into its rows (always `model.height` of them).
    package static func lines(_ model: AppModel, now: Date) -> [String] {
        text(model, now: now).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The rows of the model's frame, untrimmed: every row is the screen's width (a column
    /// range can be cut from it).
    package static func rows(_ model: AppModel, now: Date) -> [String] {
        rows(of: canvas(model, now: now))
    }

    /// The rows of a canvas, untrimmed.
    package static func rows(of canvas: Canvas) -> [String] {
        (0..<canvas.height).map { canvas.rowText($0) }
    }

    /// The two frames hold the same cells: characters, widths and styles, wide clusters too.
    package static func same(_ a: Canvas, _ b: Canvas) -> Bool {
        guard a.width == b.width, a.height == b.height else { return false }
        for y in 0..<a.height where a.rowText(y) != b.rowText(y) { return false }
        for y in 0..<a.height {
            for x in 0..<a.width where a[x, y].style != b[x, y].style || a[x, y].width != b[x, y].width { return false }
        }
        return true
    }
}
