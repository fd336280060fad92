import Foundation
import KodeKernel

/// Everything that can happen to the app: input, agent events, time, results of effects.
package enum AppAction: Sendable {
    case input(InputEvent)
    case event(EventEnvelope)
    /// Time passed (drives elapsed times, the activation guard and flash messages).
    case tick
    case resize(width: Int, height: Int)
    case agentsLoaded([AgentNode])
    case checkpointsLoaded(AgentID, [Checkpoint])
    /// How many files each checkpoint's step changed (docs/WORKSPACE.md).
    case fileChangesLoaded(AgentID, [String: Int])
    /// What `r` would change, to confirm.
    case rewindPlanned(RewindPlan)
    /// `send` returned the input's id.
    case sent(inputId: String, text: String)
    /// A checkpoint's transcript, and the file changes since it (lines of untrusted text).
    case previewReady(title: String, conversation: ConversationModel, files: [String])
    case editorClosed(String)
    /// An effect failed: shown in the status line and the monitor.
    case failed(String)
    /// A fork was made (the app switches to the child).
    case forked(AgentNode)
    /// A page of older messages arrived.
    case olderLoaded(TranscriptPage)
    /// Input and messages the agent holds now, to show input sent from elsewhere (another
    /// terminal, `kode run`): no event carries input text.
    case inputsSeen(queued: [QueuedInput], newest: [Message])
    /// The event stream ended while the app runs: the host went away for good.
    case hostLost(String)
    /// The file of a write or edit waiting for approval, as it is before the call.
    case baseFileRead(callId: String, base: BaseFile)
    /// The store's agents, for the agents view.
    case agentsListed([AgentRow])
    /// An agent's title and (when nobody has it open) its state, for the agents view.
    case agentDetail(AgentID, title: String?, activity: AgentActivity?)
    /// An agent was renamed; `title` is what it shows now (its first prompt when the title was removed).
    case renamed(AgentID, title: String?)
    /// Something the person asked for was done: a short line in the status line and the monitor.
    case done(String)

}
