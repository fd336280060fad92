import Foundation
import Synchronization

/// Drives a real terminal for end-to-end tests: a detached tmux session of a fixed size on a
/// private server socket, keys sent with `send-keys`, the screen read with `capture-pane -p`.
public final class TmuxDriver: Sendable {
    /// Why a tmux command failed, with its output.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The socket name (`tmux -L`), unique per driver so parallel tests never meet.
    public let socket: String
    /// The session's name on that server.
    public let session = "kode"

    /// True when a `tmux` binary is on the PATH.
    public static var isAvailable: Bool { path != nil }

    static var path: String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts a shell (`/bin/sh`) in a detached session of `width`×`height` with `environment`
    /// added; run programs in it with `type(_:)` so the shell prompt shows when they exit.
    public init(width: Int, height: Int, environment: [String: String] = [:]) throws {
        socket = "kode-test-\(UUID().uuidString.prefix(8))"
        var args = ["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)"]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        args += ["env", "PS1=$ ", "/bin/sh"]
        try run(args)
        try run(["set-option", "-t", session, "status", "off"])
        // A larger window than the client is allowed: sizes follow resize-window, not a client.
        _ = try? run(["set-option", "-t", session, "window-size", "manual"])
        let pid = (try? run(["display-message", "-p", "#{pid}"])).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        serverPid.withLock { $0 = pid }
    }

    /// The tmux server's process, so `kill()` can make sure it is gone; `nil` once it is.
    private let serverPid = Mutex<Int32?>(nil)

    deinit { kill() }

    /// Types `text` literally, then Enter.
    public func type(_ text: String, enter: Bool = true) throws {
        try run(["send-keys", "-t", session, "-l", text])
        if enter { try run(["send-keys", "-t", session, "Enter"]) }
    }

    /// Sends key names (`C-c`, `Escape`, `Enter`, `y`, …).
    public func keys(_ names: String...) throws {
        try run(["send-keys", "-t", session] + names)
    }

    /// The visible screen as text.
    public func capture() throws -> String {
        try run(["capture-pane", "-p", "-t", session])
    }

    /// A tmux format value for the pane, e.g. `#{alternate_on}`.
    public func format(_ f: String) throws -> String {
        try run(["display-message", "-p", "-t", session, f]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The newest paste buffer of the session's server: where tmux puts what an application
    /// copied with OSC 52 when `set-clipboard` is `on`. Nil when there is none.
    public func pasteBuffer() -> String? {
        try? run(["show-buffer"])
    }

    /// Sets a server option (`set-option -s name value`), e.g. `set-clipboard on`.
    public func setServerOption(_ name: String, _ value: String) throws {
        try run(["set-option", "-s", name, value])
    }

    /// Resizes the window.
    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen contains `text`; returns the screen. Fails with the last screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 15) async throws -> String {
        try await waitUntil(timeout: timeout, what: "\"\(text)\"") { $0.contains(text) }
    }

    /// Waits until `condition` holds for the screen.
    ///
    /// Polls with `Task.sleep`, never blocking a thread of the shared cooperative pool (on a
    /// 2-core machine that pool has two threads, and other tests run on them meanwhile).
    @discardableResult
    public func waitUntil(timeout: TimeInterval = 15, what: String, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? capture()) ?? ""
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "timed out after \(timeout)s waiting for \(what); screen:\n\(screen)")
    }

    /// Ends the session and its server. Idempotent.
    ///
    /// `kill-server` has been seen to answer 0 and leave a server running (one whose pane had
    /// run a full-screen program), so the session is killed first and the server process is
    /// signalled last: a test must not leave terminals behind, however it ended.
    public func kill() {
        _ = try? run(["kill-session", "-t", session])
        _ = try? run(["kill-server"])
        if let pid = serverPid.withLock({ $0.take() }) { forceKill(pid) }
    }

    @discardableResult
    private func run(_ args: [String]) throws -> String {
        guard let tmux = TmuxDriver.path else { throw Failure(description: "tmux is not installed") }
        let (status, text) = try ChildProcess.run(tmux, ["-L", socket, "-f", "/dev/null"] + args)
        guard status == 0 else {
            throw Failure(description: "tmux \(args.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }
}

/// SIGKILL, outside the class so `kill` means the system call and not `TmuxDriver.kill()`.
private func forceKill(_ pid: Int32) {
    _ = kill(pid, SIGKILL)
}
