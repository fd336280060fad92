import Foundation

/// File awareness wired into the agent: outside changes to files it read or wrote become
/// `file_changed` events (`source: external`) and a reminder for the model's next call.
extension Agent {
    /// Starts the watcher; called once the agent exists (create and resume).
    func startFileWatching() {
        files.startWatching { [weak self] shown, action in
            guard let self else { return }
            Task { await self.externalFileChanged(shown, action) }
        }
    }

    func externalFileChanged(_ shown: String, _ action: FileChange.Action) async {
        guard !closed, readOnlyReason == nil else { return }
        emit(.fileChanged(FileChangedEvent(callId: "", path: shown, action: action, source: "external")))
        let line = "- \(shown) (\(action.rawValue))"
        if !pendingReminders.contains(line) { pendingReminders.append(line) }
        try? await commit(.buffered)
    }
}
