extension Agent {
    /// On create and open: a Monitor warning when the sandbox mode promises confinement the
    /// machine cannot enforce, so commands never run unconfined (or get refused) silently.
    func warnIfUnconfined() async throws {
        guard let warning = sandbox.confinement.warning else { return }
        emit(.error(ErrorEvent(phase: .system, severity: .warning, message: warning,
                               detail: "see kode doctor; docs/PERMISSIONS-AND-TOOLS.md, \"The sandbox\"")))
        // Every open says it again, so a sub-agent still deferring its steps need not sync it.
        try await commit(stepDurability)
    }
}
