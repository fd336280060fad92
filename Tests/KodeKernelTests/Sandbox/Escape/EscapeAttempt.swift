import Foundation
import Testing

/// One way a command might try to write outside the work directory, and how to tell it got out.
struct EscapeAttempt: Sendable, CustomTestStringConvertible {
    let name: String
    /// Prepares the outside directory (a file to overwrite, …) before the command runs.
    let prepare: @Sendable (_ outside: String) throws -> Void
    /// The shell text, given the outside directory's path and its name as seen from the work directory's parent.
    let command: @Sendable (_ outside: String, _ outsideName: String) -> String
    /// True when the attempt left a trace outside.
    let escaped: @Sendable (_ outside: String) -> Bool

    var testDescription: String { name }

    private static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    private static func created(_ name: String, command: @escaping @Sendable (String, String) -> String) -> EscapeAttempt {
        EscapeAttempt(name: name, prepare: { _ in }, command: command, escaped: { exists($0 + "/" + "escaped.txt") })
    }

    /// Every attempt of the escape suite (the background one runs separately: it needs `background: true`).
    static let all: [EscapeAttempt] = [
        created("an absolute path outside") { out, _ in "echo x > \(out)/escaped.txt" },
        created("../ out of the work directory") { _, name in "echo x > ../\(name)/escaped.txt" },
        created("a symlink planted inside pointing outside") { out, _ in "ln -s \(out) link && echo x > link/escaped.txt" },
        EscapeAttempt(
            name: "a hard link to an outside file",
            prepare: { out in try Data("original".utf8).write(to: URL(fileURLWithPath: out + "/victim.txt")) },
            command: { out, _ in "ln \(out)/victim.txt hard && echo x >> hard" },
            escaped: { out in (try? String(contentsOfFile: out + "/victim.txt", encoding: .utf8)) != "original" }),
        created("/proc/self/root") { out, _ in "echo x > /proc/self/root\(out)/escaped.txt" },
        created("/proc/self/cwd after cd outside") { out, _ in "(cd \(out) && echo x > /proc/self/cwd/escaped.txt)" },
        EscapeAttempt(
            name: "renaming a directory out",
            prepare: { _ in },
            command: { out, _ in "mkdir -p d && echo x > d/f && mv d \(out)/moved" },
            escaped: { out in exists(out + "/moved") }),
        created("python3") { out, _ in "python3 -c \"open('\(out)/escaped.txt', 'w').write('x')\"" },
        created("perl") { out, _ in "perl -e 'open(my $f, \">\", \"\(out)/escaped.txt\") or die \"perl: $!\\n\"'" },
        created("a child of a child") { out, _ in "bash -c 'sh -c \"echo x > \(out)/escaped.txt\"'" },
        created("a copy with cp") { out, _ in "echo x > mine && cp mine \(out)/escaped.txt" },
    ]
}
