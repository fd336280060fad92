/// Where frames go: a real terminal (`NcursesBackend`) or memory (`MemoryBackend`, for tests).
/// Only the UI loop calls a backend, one call at a time.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells.
    var width: Int { get }
    var height: Int { get }
    /// Colours the terminal supports (0, 8 or 256) and whether it draws Unicode.
    var capabilities: TerminalCapabilities { get }
    /// Takes over the screen.
    func start() throws
    /// Shows `canvas`, sending only what changed since the last flush.
    func flush(_ canvas: Canvas, cursor: (x: Int, y: Int)?)
    /// The next flush repaints everything (Ctrl+L, after a resume).
    func invalidate()
    /// Re-reads the terminal size (after SIGWINCH); returns true when it changed.
    func updateSize() -> Bool
    /// Gives the screen back temporarily (an editor, Ctrl+Z).
    func suspend()
    /// Takes the screen again after `suspend`.
    func resume()
    /// Gives the screen back for good. Safe to call twice.
    func stop()
    /// Writes `bytes` to the terminal as they are, between frames: the bell, a desktop
    /// notification, a clipboard sequence. The app builds them from sanitized text only.
    func emit(_ bytes: [UInt8])
    /// Draws with `theme` from the next flush on (the app's `/theme`).
    func use(_ theme: Theme)
}
