import KodeKernel

/// What `update` asks the app to do: calls on the agent or the store, run off the UI path.
package enum Effect: Sendable, Hashable {

    case send(String)
    case decide(callId: String, decision: DecisionKind, note: String?, scope: DecisionScope)
    case interrupt
    case continueTurn
    /// Label a checkpoint of the current agent (`at` nil: the newest).
    case checkpoint(label: String, at: String?)
    /// Fork `agent` at `checkpoint` (nil: its latest safe point) into a workspace of `workspace`
    /// mode and switch to the child. When the checkpoint is a user message's, the child branches
    /// just before it (at `previous`, the safe point before it, or as a fresh agent when the
    /// message was the first) with the message in its composer: edit and resend.
    case fork(agent: AgentID, checkpoint: Checkpoint?, previous: Checkpoint?, workspace: WorkspaceForkMode)
    /// Work out what rewinding the open agent to `checkpoint` changes (`r`), then rewind (`y`).
    case planRewind(Checkpoint)
    case rewind(Checkpoint)
    /// A new agent with the current one's settings, switched to; `prompt` is sent to it.
    case newAgent(prompt: String?)
    /// List every agent of the store for the agents view.
    case listAgents
    /// Read the titles (and states) of these agents for the agents view.
    case agentDetails([AgentID])
    /// Give `agent` a title, durably (blank: remove it).
    case rename(agent: AgentID, title: String)
    /// Use another provider or model from the next turn on (durable).
    case switchModel(ProviderConfig)
    /// Load another theme and redraw with it.
    case theme(String)
    /// Write the transcript as Markdown (nil: `./kode-<agent>.md`).
    case export(path: String?)
    /// Summarise the older conversation now (`/compact`), with extra instructions for the summary.
    case compact(instructions: String?)
    case revokeRule(String)
    /// Put text on the terminal's clipboard (OSC 52).
    case copy(String)
    /// Ring the bell and/or send a desktop notification, as the settings say.
    case notify(title: String, body: String)
    /// Switch the view to another agent of the store.
    case open(AgentID)
    case loadCheckpoints(AgentID)
    /// File counts of the checkpoints recorded after a seq (a turn just ended).
    case loadFileChanges(AgentID, after: UInt64)
    case preview(agent: AgentID, checkpoint: Checkpoint)
    /// Suspend the screen, edit `text` in `$EDITOR`, put the result in the composer.
    case editor(String)
    case suspend
    case redraw
    case quit
    /// End the app and leave the agent running (handed to a host by the caller).
    case detach
    /// Fetch older messages for the conversation (scrolled back past the first one loaded).
    case loadOlder(Range<Int>)
    /// Look for input sent from elsewhere (a turn started or ended).
    case refreshInputs
    /// Read the file a write or edit waiting for approval changes, for its diff.
    case readBaseFile(callId: String, path: String)
}
