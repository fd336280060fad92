/// Waits for a condition that another process brings about, where there is no event to subscribe
/// to across processes: checked every 20 ms until `limit`, a generous bound only a hang reaches.
public func eventually(_ what: String, within limit: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestTimeout(what: "waited for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
