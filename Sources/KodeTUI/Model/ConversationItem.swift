import Foundation

/// One entry of the conversation pane. Text is stored as received (untrusted) and sanitized
/// when it is laid out, so the cache key `(id, version, width)` covers it.
package struct ConversationItem: Sendable, Hashable {
    /// What the entry is.
    package enum Kind: Sendable, Hashable {
        /// A person's input; `queued` while the agent has not taken it yet.
        case user(text: String, inputId: String?, queued: Bool)
        /// The agent's reply text; `streaming` until its `text_chunk_end`.
        case assistant(text: String, streaming: Bool)
        /// The model's reasoning, collapsed unless `expanded`.
        case thinking(text: String, streaming: Bool, expanded: Bool)
        /// A tool call. Boxed: a cell is several times larger than the other payloads, and
        /// inline it would make every entry of a long transcript that large.
        indirect case tool(ToolCell)
        /// A line from the runtime: interruptions, resumes, errors, decisions.
        case notice(text: String, role: StyleRole)
    }

    /// Unique and stable for the life of the model.
    package var id: Int
    package var kind: Kind
    /// Bumped on every change; part of the wrap-cache key.
    package var version: Int = 0
    package var timestamp: Date

    /// True for entries Enter can expand or collapse.
    package var isExpandable: Bool {
        switch kind {
        case .thinking, .tool: return true
        default: return false
        }
    }

    /// The plain text searched by `/`.
    package var searchableText: String {
        switch kind {
        case .user(let t, _, _), .assistant(let t, _), .thinking(let t, _, _), .notice(let t, _): return t
        case .tool(let c): return c.name + " " + c.summary + " " + c.output
        }
    }
}
