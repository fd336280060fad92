import Foundation
import KodeKernel

// Input sent from elsewhere. No event carries input text (it is a record), so when a turn
// starts or ends the app asks for the queued input and the newest messages and shows the
// person's messages it has not shown yet, once each (matched by input id).
extension ConversationModel {
    /// Shows the input among `queued` and the user messages among `newest` not shown yet.
    package mutating func merge(queued: [QueuedInput], newest: [Message], at time: Date) {
        var shown = Set<String>()
        for item in items { if case .user(_, let id?, _) = item.kind { shown.insert(id) } }
        // A reminder is the runtime's message, shown when its `reminder_sent` arrived.
        let taken = newest.filter { $0.role == .user && !$0.text.isEmpty && $0.reminderText == nil }.map { (id: $0.id, text: $0.text, queued: false) }
        for input in taken + queued.map({ (id: $0.id, text: $0.text, queued: true) }) where !shown.contains(input.id) {
            shown.insert(input.id)
            // This app's own input whose id `send` has not returned yet is the same entry.
            if let i = items.lastIndex(where: { if case .user(let t, nil, _) = $0.kind { return t == input.text } else { return false } }) {
                update(i) { if case .user(let t, _, let q) = $0 { $0 = .user(text: t, inputId: input.id, queued: q && input.queued) } }
            } else {
                append(.user(text: input.text, inputId: input.id, queued: input.queued), at: time)
            }
        }
    }
}
