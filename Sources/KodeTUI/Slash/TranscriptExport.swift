import Foundation
import KodeKernel

/// `/export`: the conversation as Markdown, for reading or sharing. The file is plain text for
/// a person; nothing in it is interpreted by the terminal.
package enum TranscriptExport {
    /// Where `/export [path]` writes: the path given (`~` expanded), else `./kode-<agent>.md`.
    package static func destination(_ path: String?, agent: AgentID) -> URL {
        guard let path, !path.isEmpty else {
            return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("kode-\(agent).md")
        }
        return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    }

    /// The Markdown of `state`'s conversation.
    package static func markdown(_ state: AgentState, manifest: AgentManifest) -> String {
        var out = "# \(manifest.id)\n\n"
        out += "- model: \(manifest.config.provider.name)/\(manifest.config.provider.model)\n"
        out += "- created: \(ISO8601DateFormatter().string(from: manifest.created))\n"
        if let parent = manifest.parent { out += "- forked from: \(parent.agentId) at seq \(parent.seq)\n" }
        out += "- messages: \(state.messages.count)\n"
        for message in state.messages {
            for block in message.content {
                switch block {
                case .text(let text) where !text.isEmpty:
                    out += "\n## \(message.role == .user ? "You" : "Agent")\n\n\(text)\n"
                case .toolUse(let id, let name, let input):
                    out += "\n### Tool call `\(name)` (\(id))\n\n```json\n\(input.compactText)\n```\n"
                case .toolResult(let id, let content, let isError):
                    let status = state.toolCalls[id].map { $0.state.rawValue } ?? (isError ? "error" : "ok")
                    out += "\n### Result (\(id), \(status))\n\n```\n\(fence(content))\n```\n"
                default:
                    break
                }
            }
        }
        return out
    }

    /// Writes the Markdown of `state` to `url` atomically. A bad path is an error naming it.
    package static func write(_ state: AgentState, manifest: AgentManifest, to url: URL) throws {
        do {
            try Data(markdown(state, manifest: manifest).utf8).write(to: url, options: .atomic)
        } catch {
            throw ExportError(description: "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// A result that itself holds ``` would end the block early.
    static func fence(_ text: String) -> String { text.replacingOccurrences(of: "```", with: "ʼʼʼ") }

    package struct ExportError: Error, CustomStringConvertible {
        package var description: String
    }
}
