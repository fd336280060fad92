import MCP

/// A tool result's content as the text the model reads: text parts as they are, everything
/// else named with its type and size (the kernel's tool results are text).
enum ToolResultText {
    /// Longest result passed to the model; the rest is cut with a note.
    static let limit = 256 * 1024

    static func render(_ content: [MCP.Tool.Content]) -> String {
        var parts: [String] = []
        for item in content {
            switch item {
            case .text(let text, _, _):
                parts.append(text)
            case .image(let data, let mimeType, _, _):
                parts.append("[image \(mimeType), \(data.count) base64 characters]")
            case .audio(let data, let mimeType, _, _):
                parts.append("[audio \(mimeType), \(data.count) base64 characters]")
            case .resource(let resource, _, _):
                if let text = resource.text {
                    parts.append(text)
                } else {
                    parts.append("[resource \(resource.uri)\(resource.mimeType.map { ", \($0)" } ?? "")]")
                }
            case .resourceLink(let uri, let name, _, _, let mimeType, _):
                parts.append("[link \(name): \(uri)\(mimeType.map { ", \($0)" } ?? "")]")
            }
        }
        let text = parts.joined(separator: "\n")
        guard text.utf8.count > limit else { return text }
        let kept = String(decoding: text.utf8.prefix(limit), as: UTF8.self)
        return kept + "\n[result cut: \(text.utf8.count - limit) more bytes]"
    }
}
