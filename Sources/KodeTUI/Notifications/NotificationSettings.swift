/// When the app tells a person who is looking elsewhere that something needs them
/// (`[notifications]` of the configuration, docs/CONFIG.md).
package struct NotificationSettings: Sendable, Hashable {
    /// The desktop notification escape to send.
    package enum Desktop: String, Sendable, Hashable, CaseIterable {
        /// `OSC 9 ; text ST` (iTerm2, WezTerm, Windows Terminal, kitty, foot, Ghostty).
        case osc9
        /// `OSC 777 ; notify ; title ; body ST` (urxvt, VTE terminals such as GNOME Terminal).
        case osc777
        /// No desktop notification, the bell only.
        case off
    }

    /// On an approval request (on by default: the agent waits for the person).
    package var onApproval = true
    /// When a turn ends (off by default: most turns end while the person watches).
    package var onTurnEnd = false
    /// Ring the terminal bell (BEL).
    package var bell = true
    package var desktop = Desktop.osc9

    package init(onApproval: Bool = true, onTurnEnd: Bool = false, bell: Bool = true, desktop: Desktop = .osc9) {
        self.onApproval = onApproval
        self.onTurnEnd = onTurnEnd
        self.bell = bell
        self.desktop = desktop
    }
}
