/// How a shell process ended.
public enum ShellExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It called `exit(code)`.
    case exited(Int32)
    /// A signal ended it (for example SIGKILL after a timeout or `bash_kill`).
    case signaled(Int32)

    /// Decodes a `waitpid` status word (the `WIFEXITED`/`WTERMSIG` macros are not imported into Swift).
    package init(waitStatus: Int32) {
        let signal = waitStatus & 0x7f
        if signal == 0 {
            self = .exited((waitStatus >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }

    /// The conventional shell exit code: the code itself, or 128 + signal number.
    public var code: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exit code \(code)"
        case .signaled(let signal): return "killed by signal \(signal) (exit code \(128 + signal))"
        }
    }
}
