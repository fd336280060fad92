import Foundation

/// Draws an `AppModel` into a canvas: the pure render step of the Elm-style loop.
package enum Renderer {
    /// A finished frame: the canvas and where the terminal cursor goes (nil: hidden).
    package struct Frame {
        package var canvas: Canvas
        package var cursor: (x: Int, y: Int)?
    }

    /// Renders into `canvas` (resized when the model's size changed) and returns the cursor.
    @discardableResult
    package static func render(_ model: AppModel, into canvas: inout Canvas, now: Date = Date()) -> (x: Int, y: Int)? {
        if canvas.width != model.width || canvas.height != model.height {
            canvas.resize(width: model.width, height: model.height)
        }
        canvas.borders = model.unicode ? .unicode : .ascii
        canvas.clear()
        let plan = LayoutPlan.compute(width: model.width, height: model.height, focus: model.focus, composerLines: model.composer.lines.count)
        if plan.mode == .tooSmall {
            TooSmallView.draw(into: &canvas, width: model.width, height: model.height)
            return nil
        }
        drawPane(plan.mainPane, model: model, into: &canvas, box: plan.main, now: now)
        if let m = plan.monitor { drawPane(.monitor, model: model, into: &canvas, box: m, now: now) }
        if let t = plan.tree { drawPane(.tree, model: model, into: &canvas, box: t, now: now) }
        if let tabs = plan.tabs { drawTabs(model, plan: plan, into: &canvas, rect: tabs) }
        var cursor = ComposerView.draw(model, into: &canvas, rect: plan.composer, focused: model.focus == .composer && model.overlays.isEmpty && !model.modalVisible)
        StatusLine.draw(model, into: &canvas, rect: plan.status, now: now)
        SlashPopup.draw(model, into: &canvas, composer: plan.composer)
        let area = Rect(x: 0, y: 0, width: model.width, height: model.height - 1)
        if model.modalVisible {
            ApprovalModal.draw(model, into: &canvas, area: area)
            cursor = nil
        }
        for overlay in model.overlays {
            OverlayViews.draw(overlay, model: model, into: &canvas, area: area, statusRow: plan.status, now: now)
            cursor = nil
        }
        return cursor
    }

    /// A fresh frame (tests and benches).
    package static func frame(_ model: AppModel, now: Date = Date()) -> Frame {
        var canvas = Canvas(width: model.width, height: model.height)
        let cursor = render(model, into: &canvas, now: now)
        return Frame(canvas: canvas, cursor: cursor)
    }

    static func drawPane(_ pane: Pane, model: AppModel, into canvas: inout Canvas, box: Rect, now: Date) {
        let focused = model.focus == pane
        let border = Style(focused ? .borderFocus : .border, bold: focused)
        let titleStyle = Style(focused ? .borderFocus : .title, bold: true)
        switch pane {
        case .conversation, .composer:
            var title = "Conversation"
            if let name = model.info.title { title += " · " + Sanitizer.oneLine(name) }
            if !model.scroll.follow { title += " (scrolled: G follows)" }
            canvas.box(box, style: border, title: title, titleStyle: titleStyle)
            ConversationView.draw(model, into: &canvas, rect: box.inset(1), now: now)
        case .monitor:
            canvas.box(box, style: border, title: "Monitor", titleStyle: titleStyle)
            MonitorView.draw(model, into: &canvas, rect: box.inset(1))
        case .tree:
            canvas.box(box, style: border, title: "Checkpoints (Ctrl+T)", titleStyle: titleStyle)
            TreeView.draw(model, into: &canvas, rect: box.inset(1), focused: focused)
        }
    }

    /// The tab strip's tabs, left to right.
    static let tabs: [(pane: Pane, name: String)] = [(.conversation, "Conversation"), (.monitor, "Monitor"), (.tree, "Checkpoints")]

    /// The tab drawn at column `x` of the strip `rect` (each is ` name ` and a space).
    static func tab(at x: Int, in rect: Rect) -> Pane? {
        var start = rect.x
        for (pane, name) in tabs {
            let end = start + name.count + 2
            if x >= start && x < end { return pane }
            start = end + 1
        }
        return nil
    }

    static func drawTabs(_ model: AppModel, plan: LayoutPlan, into canvas: inout Canvas, rect: Rect) {
        var x = rect.x
        for (pane, name) in tabs {
            let on = plan.mainPane == pane
            x = canvas.put(" \(name) ", x: x, y: rect.y, style: on ? Style(.selection, bold: true) : Style(.dim), maxX: rect.maxX)
            x = canvas.put(" ", x: x, y: rect.y, style: .text, maxX: rect.maxX)
        }
        canvas.put("Tab switches", x: max(rect.maxX - 12, x), y: rect.y, style: Style(.dim), maxX: rect.maxX)
    }
}
