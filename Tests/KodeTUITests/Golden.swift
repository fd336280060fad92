import Foundation
import Testing
import KodeTUI

/// Golden screen snapshots under `Tests/KodeTUITests/Golden/`. With `KODE_UPDATE_GOLDEN=1` the
/// files are (re)written instead of compared.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ name: String, _ screen: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent(name + ".txt")
        let text = screen + "\n"
        if ProcessInfo.processInfo.environment["KODE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            return
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record("missing golden \(file.lastPathComponent): run with KODE_UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != text {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record("""
                golden \(name) differs at line \(firstDiff + 1):
                  want: \(firstDiff < want.count ? String(want[firstDiff]) : "<end>")
                  got:  \(firstDiff < got.count ? String(got[firstDiff]) : "<end>")
                (KODE_UPDATE_GOLDEN=1 rewrites the snapshot)
                """, sourceLocation: sourceLocation)
        }
    }
}

/// Goldens that record style as well as text: each row of the canvas, then a line of its style
/// runs, `column:role` with `+b` (bold), `+u` (underline), `+r` (reverse), e.g.
/// `  = 0:border 2:agent+b 4:text`. A colour change that keeps the text is a diff too.
enum StyledGolden {
    static func encode(_ canvas: Canvas) -> String {
        var out: [String] = []
        for y in 0..<canvas.height {
            out.append(canvas.rowText(y))
            var runs: [String] = []
            var last: Style?
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.isContinuation { continue }
                if cell.style != last {
                    var name = "\(x):\(cell.style.role.themeKey)"
                    if cell.style.bold { name += "+b" }
                    if cell.style.underline { name += "+u" }
                    if cell.style.reverse { name += "+r" }
                    runs.append(name)
                    last = cell.style
                }
            }
            out.append("  = " + runs.joined(separator: " "))
        }
        return out.joined(separator: "\n")
    }

    /// Lines drawn into a canvas of their own (one row each), as the conversation draws them.
    static func canvas(_ lines: [StyledLine], width: Int) -> Canvas {
        var canvas = Canvas(width: width, height: lines.count)
        for (y, line) in lines.enumerated() {
            var x = 0
            for span in line.spans { x = canvas.put(span.text, x: x, y: y, style: span.style, maxX: width) }
        }
        return canvas
    }

    static func check(_ name: String, _ canvas: Canvas, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.check(name, encode(canvas), sourceLocation: sourceLocation)
    }
}
