import KodeKernel
import Synchronization

/// What a server reported since the last call, waiting to go to the Monitor with the next
/// call's result: its stderr lines and its failures. Bounded, so a chatty server between calls
/// costs the last lines only.
final class NoticeBuffer: Sendable {
    static let limit = 50

    private let pending = Mutex<(notices: [ToolNotice], dropped: Int)>(([], 0))
    private let server: String

    init(server: String) { self.server = server }

    func add(_ event: MCPServerEvent) {
        let notice: ToolNotice
        switch event {
        case .started: return
        case .stderr(let line): notice = ToolNotice(severity: .info, message: "MCP server '\(server)' stderr: \(line)")
        case .failed(let reason, _): notice = ToolNotice(severity: .warning, message: "MCP server '\(server)' failed: \(reason)")
        }
        pending.withLock { state in
            state.notices.append(notice)
            if state.notices.count > Self.limit {
                state.notices.removeFirst()
                state.dropped += 1
            }
        }
    }

    /// The waiting notices (with a count of any dropped), cleared.
    func drain() -> [ToolNotice] {
        pending.withLock { state in
            defer { state = ([], 0) }
            guard state.dropped > 0 else { return state.notices }
            return [ToolNotice(severity: .info, message: "MCP server '\(server)': \(state.dropped) earlier stderr lines dropped")] + state.notices
        }
    }
}
