import Foundation

/// The bottom line: agent, model (demo marked), state and breakpoint, tokens and cost, pending
/// approvals, `? help`; or a flash message.
enum StatusLine {
    static func draw(_ model: AppModel, into canvas: inout Canvas, rect: Rect, now: Date) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, style: Style(.status))
        let info = model.info
        var spans: [Span] = [Span(" " + Sanitizer.oneLine(info.agentId) + " ", Style(.statusAccent, bold: true))]
        let modelName = Sanitizer.oneLine(info.provider.name + "/" + info.provider.model)
        spans.append(Span(" " + modelName, Style(.status)))
        if info.provider.isDemo { spans.append(Span(" [DEMO: offline, no API key]", Style(.demo, bold: true))) }
        let stateRole: StyleRole = info.state == .paused ? .warning : (info.state == .working ? .accent : .status)
        spans.append(Span(" │ ", Style(.status)))
        spans.append(Span(info.state.rawValue, Style(stateRole, bold: true)))
        if info.breakpoint != .ready { spans.append(Span(" " + info.breakpoint.rawValue, Style(.status))) }
        spans.append(Span(" │ tok \(Format.count(info.usage.input))↑ \(Format.count(info.usage.output))↓", Style(.status)))
        if let c = info.costUSD { spans.append(Span(String(format: " $%.4f", c), Style(.status))) }
        if !model.approvals.isEmpty {
            spans.append(Span(" │ ", Style(.status)))
            spans.append(Span("\(model.approvals.pending.count) approval\(model.approvals.pending.count == 1 ? "" : "s")", Style(.warning, bold: true)))
        }
        if let flash = model.flash, let until = model.flashUntil, until > now {
            spans = [Span(" " + flash, Style(.statusAccent, bold: true))]
        }
        var x = rect.x
        let help = " ? help "
        let helpWidth = DisplayWidth.of(help)
        for s in spans {
            var text = s.text
            if !model.unicode { text = text.replacingOccurrences(of: "│", with: "|").replacingOccurrences(of: "↑", with: "in").replacingOccurrences(of: "↓", with: "out") }
            x = canvas.put(text, x: x, y: rect.y, style: s.style, maxX: rect.maxX - helpWidth)
        }
        canvas.put(help, x: rect.maxX - helpWidth, y: rect.y, style: Style(.statusAccent), maxX: rect.maxX)
    }
}
