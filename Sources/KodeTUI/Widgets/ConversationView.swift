import Foundation

/// The conversation pane: lays out only the entries that are visible (from the bottom when
/// following, from the scroll anchor otherwise), using the wrap cache.
package enum ConversationView {
    /// A line position: entry index and line within the entry.
    package struct Position: Sendable, Hashable {
        package var item: Int
        package var line: Int
    }

    /// The lines of entry `index` at `width`.
    static func lines(_ model: AppModel, _ index: Int, width: Int, now: Date) -> [StyledLine] {
        let item = model.conversation.items[index]
        if case .tool(let c) = item.kind, c.status == .running {
            // The elapsed time changes every second: not worth caching.
            return ItemLines.make(item, width: width, unicode: model.unicode, now: now)
        }
        if case .assistant(_, streaming: true) = item.kind {
            // A streaming reply is cached incrementally by `MarkdownStreamCache`; keeping each
            // version here as well would hold a second reference to its lines and make every
            // frame's append copy the whole reply.
            return ItemLines.make(item, width: width, unicode: model.unicode, now: now, streams: model.markdownStreams)
        }
        return model.wrapCache.lines(id: item.id, version: item.version, width: width) {
            ItemLines.make(item, width: width, unicode: model.unicode, now: now, streams: model.markdownStreams)
        }
    }

    /// The first visible line when following the newest output.
    static func followTop(_ model: AppModel, width: Int, height: Int, now: Date) -> Position {
        var remaining = height
        var i = model.conversation.count - 1
        while i >= 0 {
            let n = lines(model, i, width: width, now: now).count
            if n >= remaining { return Position(item: i, line: n - remaining) }
            remaining -= n
            i -= 1
        }
        return Position(item: 0, line: 0)
    }

    /// `pos` moved by `delta` lines (negative: up), clamped to the transcript.
    static func move(_ model: AppModel, _ pos: Position, by delta: Int, width: Int, now: Date) -> Position {
        let count = model.conversation.count
        guard count > 0 else { return Position(item: 0, line: 0) }
        var item = min(pos.item, count - 1)
        var line = pos.line + delta
        while line < 0 {
            if item == 0 { return Position(item: 0, line: 0) }
            item -= 1
            line += lines(model, item, width: width, now: now).count
        }
        while true {
            let n = lines(model, item, width: width, now: now).count
            if line < n { break }
            if item == count - 1 { return Position(item: item, line: max(n - 1, 0)) }
            line -= n
            item += 1
        }
        return Position(item: item, line: line)
    }

    /// Scrolls by `delta` lines; reaching the bottom resumes following.
    package static func scroll(_ model: inout AppModel, by delta: Int, width: Int, height: Int, now: Date) {
        let bottomTop = followTop(model, width: width, height: height, now: now)
        let start = model.scroll.follow ? bottomTop : Position(item: model.scroll.topItem, line: model.scroll.topLine)
        let next = move(model, start, by: delta, width: width, now: now)
        if (next.item, next.line) >= (bottomTop.item, bottomTop.line) {
            model.scroll.follow = true
            model.scroll.newOutput = false
        } else {
            model.scroll.follow = false
            model.scroll.topItem = next.item
            model.scroll.topLine = next.line
        }
    }

    /// Scrolls so entry `index` is visible (selection and search).
    package static func reveal(_ model: inout AppModel, item index: Int, width: Int, height: Int, now: Date) {
        let bottomTop = followTop(model, width: width, height: height, now: now)
        let top = model.scroll.follow ? bottomTop : Position(item: model.scroll.topItem, line: model.scroll.topLine)
        let end = move(model, top, by: height - 1, width: width, now: now)
        if index >= top.item && index <= end.item { return }
        // Put the entry a third of the way down, so some context above it shows.
        let placed = move(model, Position(item: index, line: 0), by: -(height / 3), width: width, now: now)
        if (placed.item, placed.line) >= (bottomTop.item, bottomTop.line) {
            model.scroll.follow = true
            model.scroll.newOutput = false
        } else {
            model.scroll.follow = false
            model.scroll.topItem = placed.item
            model.scroll.topLine = placed.line
        }
    }

    /// The entry drawn on `row` (0: the pane's first content row) of a pane `width` columns
    /// (without the selection marker) and `height` rows big; nil below the last entry.
    package static func item(atRow row: Int, _ model: AppModel, width: Int, height: Int, now: Date) -> Int? {
        guard row >= 0, row < height, model.conversation.count > 0 else { return nil }
        let top = model.scroll.follow
            ? followTop(model, width: width, height: height, now: now)
            : Position(item: model.scroll.topItem, line: model.scroll.topLine)
        var left = row + top.line
        var item = top.item
        while item < model.conversation.count {
            let n = lines(model, item, width: width, now: now).count
            if left < n { return item }
            left -= n
            item += 1
        }
        return nil
    }

    /// Draws the pane's content into `rect` (no border).
    package static func draw(_ model: AppModel, into canvas: inout Canvas, rect: Rect, now: Date) {
        guard !rect.isEmpty else { return }
        let width = rect.width - 1  // one column for the selection marker
        var pos = model.scroll.follow
            ? followTop(model, width: width, height: rect.height, now: now)
            : Position(item: model.scroll.topItem, line: model.scroll.topLine)
        if model.conversation.count == 0 {
            let hint = "Type a message and press Enter. ? or F1 for help."
            canvas.put(hint, x: rect.x + 1, y: rect.y, style: Style(.dim), maxX: rect.maxX)
            return
        }
        let selected = model.scroll.selected
        var y = rect.y
        while y < rect.maxY && pos.item < model.conversation.count {
            let ls = lines(model, pos.item, width: width, now: now)
            while pos.line < ls.count && y < rect.maxY {
                var x = rect.x + 1
                if pos.item == selected {
                    canvas.put(model.unicode ? "▌" : ">", x: rect.x, y: y, style: Style(.accent, bold: true))
                }
                for span in ls[pos.line].spans {
                    x = canvas.put(span.text, x: x, y: y, style: span.style, maxX: rect.maxX)
                }
                pos.line += 1
                y += 1
            }
            pos.item += 1
            pos.line = 0
        }
        if model.conversation.loadingOlder {
            let line = model.unicode ? " loading earlier messages… " : " loading earlier messages... "
            canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: Style(.dim))
            canvas.put(line, x: rect.x + 1, y: rect.y, style: Style(.hint), maxX: rect.maxX)
        }
        if !model.scroll.follow && model.scroll.newOutput {
            let hint = " new output below: G or End follows "
            let w = DisplayWidth.of(hint)
            canvas.put(hint, x: max(rect.maxX - w - 1, rect.x), y: rect.maxY - 1, style: Style(.hint, reverse: true), maxX: rect.maxX)
        }
    }
}
