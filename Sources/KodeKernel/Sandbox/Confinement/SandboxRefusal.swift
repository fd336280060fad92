/// Whether a failed command's output looks like the sandbox refused something, so the model is
/// told which sandbox it ran in only then and not after every failing test run.
enum SandboxRefusal {
    /// What the C library, shells and common tools print for the errors Landlock and a network
    /// namespace cause: EACCES, EPERM, EROFS, EXDEV (a rename or link across the boundary),
    /// ENETUNREACH and failed name resolution.
    static let phrases = [
        "permission denied", "operation not permitted", "read-only file system", "invalid cross-device link",
        "network is unreachable", "temporary failure in name resolution", "name or service not known",
        "could not resolve", "cannot assign requested address", "eacces", "eperm", "enetunreach",
    ]

    static func appears(in output: String) -> Bool {
        let lowered = output.lowercased()
        return phrases.contains { lowered.contains($0) }
    }
}
