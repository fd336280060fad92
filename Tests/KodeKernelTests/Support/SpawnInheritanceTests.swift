import Foundation
import Testing
@testable import KodeKernel

/// A child the runtime spawns keeps its three standard descriptors and nothing else of this
/// process: an inherited pipe end kept another reader waiting for as long as the child lived
/// (the sandbox probe, under its lock, behind a tmux server or a long `bash_run`).
@Suite struct SpawnInheritanceTests {
    /// The descriptor numbers `/proc/self/fd` of the listing shell shows, which `ls` adds one
    /// of its own to (the directory it reads).
    static func descriptors(in listing: String) -> Set<Int32> {
        Set(listing.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
    }

    @Test func aCapturedRunDoesNotInheritAPipeFoundationOpened() throws {
        // Foundation's Pipe opens both ends without close-on-exec: what leaked before.
        let pipe = Pipe()
        let held = [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor]
        let result = try CapturedRun.run("/bin/sh", ["-c", "ls /proc/$$/fd"])
        #expect(result.status == 0)
        let open = Self.descriptors(in: String(decoding: result.stdout, as: UTF8.self))
        #expect(open.isSuperset(of: [0, 1, 2]), "\(open)")
        #expect(open.isDisjoint(with: held), "the child kept \(open.intersection(held)) of the parent's pipe")
        #expect(open.count <= 4, "only the standard three and ls's own: \(open)")
    }

    @Test func aCommandDoesNotInheritAPipeFoundationOpened() throws {
        let pipe = Pipe()
        let held = [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor]
        let (pid, output) = try ShellSpawn.launch(command: "ls /proc/$$/fd", workDir: FileManager.default.temporaryDirectory)
        var listing = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            listing.append(contentsOf: buffer[0..<count])
        }
        close(output)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let open = Self.descriptors(in: String(decoding: listing, as: UTF8.self))
        #expect(open.isSuperset(of: [0, 1, 2]), "\(open)")
        #expect(open.isDisjoint(with: held), "the command kept \(open.intersection(held)) of the parent's pipe")
    }

    /// Async, so it runs on a thread of the cooperative pool, which blocks almost every signal;
    /// and with SIGPIPE ignored here, as the host and the test support ignore it. The child
    /// must start with neither: a mask and ignored signals survive `exec`.
    @Test func aChildStartsWithNoSignalBlockedOrIgnored() async throws {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        // grep reads its own status, with no shell between: a shell blocks every signal for a
        // moment around each fork, and a child reading the shell's status then sees that.
        let result = try CapturedRun.run("grep", ["-E", "^Sig(Blk|Ign):", "/proc/self/status"])
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(lines)")
        for line in lines {
            // Signals 1–31; glibc keeps its own two above them (32 and 33) as it likes.
            let mask = line.split(separator: "\t").last.flatMap { UInt64($0, radix: 16) }.map { $0 & 0x7FFF_FFFF }
            #expect(mask == 0, "\(line)")
        }
    }

    @Test func aCapturedRunReportsStatusAndBothOutputs() throws {
        let result = try CapturedRun.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "out\n")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "err\n")
        #expect(throws: CapturedRunError.self) { try CapturedRun.run("no-such-program-\(UUID().uuidString)", []) }
    }
}
