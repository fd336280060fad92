/// The completion popup above the composer while a `/name` is typed: matching commands with
/// their arguments and help; the selected one is what Tab completes and Enter runs.
enum SlashPopup {
    static func draw(_ model: AppModel, into canvas: inout Canvas, composer: Rect) {
        guard model.focus == .composer, model.overlays.isEmpty, !model.modalVisible,
              model.composer.lines.count == 1, SlashLine.typingName(model.composer.text) else { return }
        let matches = Update.slashPopup(model)
        let rows = matches.isEmpty ? 1 : matches.count
        let height = min(rows + 2, composer.y)
        guard height >= 3, composer.width > 20 else { return }
        let box = Rect(x: composer.x, y: composer.y - height, width: composer.width, height: height)
        canvas.fill(box, style: Style(.modal))
        let km = model.keymap
        canvas.box(box, style: Style(.borderFocus), title: "Commands · \(km.keys(for: .complete, in: .composer)) completes · Enter runs",
                   titleStyle: Style(.borderFocus, bold: true))
        let inner = box.inset(1)
        if matches.isEmpty {
            canvas.put("no such command: /help lists them; // starts a message with /", x: inner.x + 1, y: inner.y, style: Style(.warning), maxX: inner.maxX)
            return
        }
        let selection = min(model.slashSelection, matches.count - 1)
        let first = max(0, selection - inner.height + 1)
        let nameWidth = (SlashCommand.all.map { $0.name.rawValue.count + $0.arguments.count }.max() ?? 10) + 3
        for (offset, command) in matches[first...].prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let selected = first + offset == selection
            if selected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: Style(.selection)) }
            let base = selected ? Style(.selection, bold: true) : Style(.accent, bold: true)
            var x = canvas.put("/" + command.name.rawValue, x: inner.x + 1, y: y, style: base, maxX: inner.maxX)
            if !command.arguments.isEmpty { x = canvas.put(" " + command.arguments, x: x, y: y, style: selected ? base : Style(.dim), maxX: inner.maxX) }
            let helpX = max(x + 1, inner.x + 1 + nameWidth)
            canvas.put(command.help, x: helpX, y: y, style: selected ? Style(.selection) : .text, maxX: inner.maxX)
        }
    }
}
