/// How one command is started: what comes before `/bin/bash -c CMD` (the launcher and its
/// arguments, when confined), what is added to its environment, and the line the model reads when
/// the command failed on something the sandbox refused.
struct ShellLaunch: Sendable {
    /// Program and arguments run in front of the shell; empty to run the shell directly.
    var prefix: [String] = []
    /// Variables set (or replaced) in the command's environment.
    var environment: [String: String] = [:]
    /// `kode: this command ran in the … sandbox …`, or nil when nothing was confined.
    var note: String?

    /// The shell as it is, with the user's rights.
    static let plain = ShellLaunch()
}
