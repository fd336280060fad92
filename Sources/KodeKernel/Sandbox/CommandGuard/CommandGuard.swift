import Foundation

/// The dangerous-command deny-list: refuses commands that destroy the machine rather than the
/// project (wiping `/` or the home directory, formatting disks, writing raw devices, fork bombs,
/// powering off, making the whole disk world-writable, running a script straight off the network).
///
/// Commands are read into simple commands with `ShellWords`, so extra spaces, `sudo`, `env`,
/// absolute program paths, quoting, flag order (`-rf`, `-fr`, `-r -f`, `--recursive`) and
/// chaining (`cd x && rm -rf /`) do not hide a match, while ordinary work such as
/// `rm -rf build` or `dd if=a of=b` passes.
///
/// It is a seat belt against accidents and confused models, not a security boundary: a
/// determined script can always write the same thing another way.
package enum CommandGuard {
    /// The reason `command` is refused, or `nil` when it may run.
    package static func refusal(for command: String) -> String? {
        refusal(for: command, depth: 0)
    }

    private static func refusal(for command: String, depth: Int) -> String? {
        // Nested `bash -c "…"` deeper than this is refused outright rather than read forever.
        guard depth < 8 else { return "commands nested this deeply cannot be vetted" }
        if let reason = rawTextRefusal(command) { return reason }
        let parsed = ShellWords(command)
        for inner in parsed.quotedSubstitutions {
            if let reason = refusal(for: inner, depth: depth + 1) { return reason }
        }
        let commands = parsed.commands
        for (position, simple) in commands.enumerated() {
            let words = programAndArguments(simple.words)
            guard let program = words.first else { continue }
            let arguments = Array(words.dropFirst())
            if let reason = commandRefusal(program: program, arguments: arguments) { return reason }
            if let reason = downloadIntoShell(program: program, at: position, in: commands) { return reason }
            if let script = inlineScript(program: program, arguments: arguments),
               let reason = refusal(for: script, depth: depth + 1) {
                return reason
            }
        }
        return nil
    }

    // MARK: Whole-line patterns

    private static let forkBomb = try! NSRegularExpression(pattern: #"([A-Za-z_:][A-Za-z0-9_:]*)\(\)\{\1\|\1&\};\1"#)
    private static let rawDeviceRedirect = try! NSRegularExpression(
        pattern: #">\s*/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme[0-9]|mmcblk[0-9]|disk[0-9]|md[0-9]|dm-[0-9])"#)

    private static func rawTextRefusal(_ command: String) -> String? {
        let squeezed = command.filter { !$0.isWhitespace }
        if matches(forkBomb, squeezed) { return "it is a fork bomb" }
        if matches(rawDeviceRedirect, command) { return "it writes straight onto a disk device" }
        return nil
    }

    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    // MARK: Per-command rules

    private static func commandRefusal(program: String, arguments: [String]) -> String? {
        switch program {
        case "rm":
            let (flags, operands) = split(arguments)
            if flags.contains("--no-preserve-root") { return "rm --no-preserve-root can delete the filesystem root" }
            guard isRecursive(flags) else { return nil }
            if let target = operands.first(where: isCriticalTarget) {
                return "recursive rm of \(target) would delete \(describe(target))"
            }
        case "chmod", "chown", "chgrp":
            let (flags, operands) = split(arguments)
            guard isRecursive(flags) else { return nil }
            if let target = operands.first(where: isCriticalTarget) {
                return "recursive \(program) of \(target) would change \(describe(target))"
            }
        case "find":
            // `find / -delete`, `find ~ -exec rm …`: the start paths come before the first expression word.
            let starts = arguments.prefix { !$0.hasPrefix("-") && $0 != "(" && $0 != "!" }
            let runsRm = arguments.contains { ["-exec", "-execdir", "-ok"].contains($0) } && arguments.contains("rm")
            let destroys = arguments.contains("-delete") || runsRm
            if destroys, let target = starts.first(where: isCriticalTarget) {
                return "find \(target) with -delete or rm would delete \(describe(target))"
            }
        case "shred":
            if let device = arguments.first(where: { $0.hasPrefix("/dev/") && !harmlessDevices.contains($0) }) {
                return "shred \(device) overwrites a device"
            }
        case "kill", "pkill":
            // Process id -1 means every process this user may signal, the agent and the shell included.
            if arguments.last == "-1" { return "\(program) -1 signals every process of the user" }
        case "mkfs", "mke2fs", "mkswap", "wipefs":
            return "\(program) formats or wipes a disk"
        case _ where program.hasPrefix("mkfs."):
            return "\(program) formats a disk"
        case "dd":
            if let output = arguments.first(where: { $0.hasPrefix("of=/dev/") }), !harmlessDevices.contains(String(output.dropFirst(3))) {
                return "dd \(output) writes straight onto a device"
            }
        case "shutdown", "reboot", "halt", "poweroff":
            return "\(program) stops the machine"
        case "init", "telinit":
            if let level = arguments.first, ["0", "6"].contains(level) { return "\(program) \(level) stops the machine" }
        case "systemctl":
            if let verb = arguments.first(where: { !$0.hasPrefix("-") }), ["poweroff", "reboot", "halt", "kexec", "suspend", "hibernate"].contains(verb) {
                return "systemctl \(verb) stops the machine"
            }
        default:
            break
        }
        return nil
    }

    private static let harmlessDevices: Set<String> = ["/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/tty"]
    private static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "fish", "csh", "tcsh"]
    private static let downloaders: Set<String> = ["curl", "wget", "fetch"]

    /// `curl … | sh`, `wget -O- … | sudo bash`, `bash <(curl …)`, `sh -c "$(curl …)"`.
    private static func downloadIntoShell(program: String, at position: Int, in commands: [ShellWords.Command]) -> String? {
        guard shells.contains(program) else { return nil }
        // Anything earlier in the same pipeline.
        var cursor = position
        while cursor > 0 && commands[cursor].link == .pipe {
            cursor -= 1
            if let earlier = programAndArguments(commands[cursor].words).first, downloaders.contains(earlier) {
                return "it pipes a download (\(earlier)) straight into \(program)"
            }
        }
        // A script that substitutes a download (`sh -c "$(curl …)"`).
        if let script = inlineScript(program: program, arguments: Array(programAndArguments(commands[position].words).dropFirst())) {
            let inner = ShellWords(script)
            let substituted = inner.commands.filter { $0.link == .substitution }.map(\.words) + inner.quotedSubstitutions.map { ShellWords($0).commands.first?.words ?? [] }
            if let download = substituted.compactMap({ programAndArguments($0).first }).first(where: downloaders.contains) {
                return "it runs a download (\(download)) straight in \(program)"
            }
        }
        // A substitution that feeds the shell (`bash <(curl …)`).
        if position + 1 < commands.count, commands[position + 1].link == .substitution,
           let next = programAndArguments(commands[position + 1].words).first, downloaders.contains(next) {
            return "it runs a download (\(next)) straight in \(program)"
        }
        return nil
    }

    /// The script of `bash -c "script"` or `eval script`, which is vetted like a command line of its own.
    private static func inlineScript(program: String, arguments: [String]) -> String? {
        if program == "eval" { return arguments.joined(separator: " ") }
        guard shells.contains(program), let flag = arguments.firstIndex(where: { $0.hasPrefix("-") && $0.contains("c") && !$0.hasPrefix("--") }),
              flag + 1 < arguments.count else { return nil }
        return arguments[flag + 1]
    }

    // MARK: Words

    /// Commands that run their arguments as a command; skipped to find the real program.
    private static let wrappers: Set<String> = ["sudo", "doas", "env", "nohup", "time", "command", "exec", "nice", "builtin", "xargs", "stdbuf", "timeout"]

    /// Drops wrappers (`sudo -u x`, `env A=1`, `nice -n 5`, `timeout 10`), variable assignments and
    /// program paths, so `sudo /bin/rm -rf /` reads as `rm -rf /`.
    static func programAndArguments(_ words: [String]) -> [String] {
        var rest = words[...]
        while let first = rest.first {
            if isAssignment(first) {
                rest = rest.dropFirst()
                continue
            }
            let name = basename(first)
            guard wrappers.contains(name) else { break }
            rest = rest.dropFirst()
            // The wrapper's own options (and their values, roughly) come before the program.
            while let option = rest.first, option.hasPrefix("-") || isAssignment(option) || option.allSatisfy(\.isNumber) {
                rest = rest.dropFirst()
                if ["-u", "-g", "-n", "-C", "-s", "-k"].contains(option), let value = rest.first, !value.hasPrefix("-") {
                    if name == "sudo" || name == "doas" || name == "nice" { rest = rest.dropFirst() }
                }
            }
        }
        guard let program = rest.first else { return [] }
        return [basename(program)] + rest.dropFirst()
    }

    private static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    private static func basename(_ word: String) -> String {
        word.split(separator: "/").last.map(String.init) ?? word
    }

    /// Options and operands; everything after `--` is an operand.
    private static func split(_ arguments: [String]) -> (flags: [String], operands: [String]) {
        var flags: [String] = [], operands: [String] = []
        var optionsEnded = false
        for argument in arguments {
            if !optionsEnded && argument == "--" {
                optionsEnded = true
            } else if !optionsEnded && argument.hasPrefix("-") && argument.count > 1 {
                flags.append(argument)
            } else {
                operands.append(argument)
            }
        }
        return (flags, operands)
    }

    private static func isRecursive(_ flags: [String]) -> Bool {
        flags.contains { flag in
            flag == "--recursive" || (!flag.hasPrefix("--") && (flag.contains("r") || flag.contains("R")))
        }
    }

    /// Top-level directories whose loss breaks the machine.
    private static let systemDirectories: Set<String> = [
        "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/opt", "/proc", "/root",
        "/sbin", "/srv", "/sys", "/usr", "/var", "/System", "/Users", "/Library", "/Applications",
    ]

    private static let homeSpellings: Set<String> = ["~", "$HOME", "${HOME}"]

    /// `/`, `/*`, `~`, `~/`, `$HOME/*`, `/etc`, `/usr/` and friends.
    private static func isCriticalTarget(_ operand: String) -> Bool {
        var target = operand
        // `x/*` and `x/.` empty `x` just as thoroughly as `x` itself.
        while target.hasSuffix("/*") || target.hasSuffix("/.") { target.removeLast(2) }
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        if target.isEmpty || target == "/" { return true }
        if homeSpellings.contains(target) { return true }
        return systemDirectories.contains(target)
    }

    private static func describe(_ target: String) -> String {
        let trimmed = target.hasSuffix("*") ? String(target.dropLast()) : target
        if trimmed.hasPrefix("~") || trimmed.hasPrefix("$HOME") || trimmed.hasPrefix("${HOME}") { return "the home directory" }
        if trimmed == "/" || trimmed.isEmpty { return "the filesystem root" }
        return "the system directory \(trimmed)"
    }
}
