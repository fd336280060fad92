import Foundation

extension RunningProcess {
    /// Returns once the process has printed `text` on stdout or stderr; throws if it exits first
    /// or `timeout` passes. Output has no event to subscribe to, so it is checked after short pauses.
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(stdoutSoFar.contains(text) || stderrSoFar.contains(text)) {
            if hasExited {
                throw TestTimeout(what: "the process exited before printing \"\(text)\"; stderr: \(stderrSoFar.suffix(2000))")
            }
            if ContinuousClock.now > deadline {
                throw TestTimeout(what: "no \"\(text)\" within \(timeout); stderr: \(stderrSoFar.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
