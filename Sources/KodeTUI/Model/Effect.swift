import KodeKernel

/// What `update` asks the app to do: calls on the agent or the store, run off the UI path.
package enum Effect: Sendable, Hashable {
    case send(String)
    case decide(callId: String, decision: DecisionKind, note: String?, scope: DecisionScope)
    case interrupt
    case continueTurn
    case checkpoint(label: String)
    /// Fork `agent` at `checkpoint` (nil: its latest safe point) into a workspace of `mode`
    /// and switch to the child.
    case fork(agent: AgentID, checkpoint: Checkpoint?, workspace: WorkspaceForkMode)
    /// Work out what rewinding the open agent to `checkpoint` changes (`r`), then rewind (`y`).
    case planRewind(Checkpoint)
    case rewind(Checkpoint)
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
}
