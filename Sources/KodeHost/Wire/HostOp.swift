/// Every request a client can make (docs/PROTOCOL.md, "Requests").
package enum HostOp: String, Sendable, CaseIterable, Codable {
    // The store.
    case list, manifest, create, open, remove, fork, state
    // An open agent, named by the handle `open` or `create` returned.
    case send, decide, interrupt, `continue`, checkpoint
    case forkAt = "fork_at"
    case status
    case agentState = "agent_state"
    case window, transcript
    case revoke
    case compact
    case setModel = "set_model"
    case rename
    case waitIdle = "wait_idle"
    case release, subscribe, unsubscribe
    case schedule, unschedule
    // The host itself.
    case hostStatus = "host_status"
    case stop
}
