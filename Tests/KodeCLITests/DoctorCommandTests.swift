import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KodeKernel
import KodeTestSupport
import Testing

/// `kode doctor`: one page (or JSON) on the sandbox, terminal, store and providers. The only
/// connection it opens in these tests is to a loopback server the test started.
@Suite("kode doctor")
struct DoctorCommandTests {
    /// No keys from the machine running the tests, so no provider is checked unless named.
    static let quiet = ["ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "", "GEMINI_API_KEY": "", "KODE_CREDENTIALS": "/nonexistent/credentials.toml"]

    @Test("--json reports Landlock, the terminal and the store")
    func json() async throws {
        let f = try CLIFixture()
        let environment = Self.quiet.merging(["TERM": "xterm-256color", "LANG": "en_US.UTF-8", "NO_COLOR": ""]) { $1 }
        let result = try await KodeCLI.run(["doctor", "--json", "--offline", "--store", f.store], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONValue.parse(result.stdout)
        #if os(Linux)
        #expect((report["sandbox"]?["landlockABI"]?.intValue ?? 0) >= 1, "\(result.stdout)")
        #expect(report["sandbox"]?["defaultCommands"]?.stringValue == "workspace-write")
        #endif
        #expect(report["terminal"]?["colors"]?.intValue == 256)
        #expect(report["terminal"]?["utf8"]?.boolValue == true)
        #expect(report["store"]?["path"]?.stringValue == f.store)
        #expect(report["store"]?["agents"]?.intValue == 0)
        #expect(report["store"]?["host"]?["running"]?.boolValue == false)
        #expect(report["providers"]?.arrayValue?.isEmpty == true)
    }

    @Test("without Landlock the page says commands run unconfined")
    func unavailable() async throws {
        let f = try CLIFixture()
        let result = try await KodeCLI.run(["doctor", "--offline", "--store", f.store], environment: Self.quiet.merging(["KODE_SANDBOX_UNAVAILABLE": "1"]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("commands run UNCONFINED"), "\(result.stdout)")
        #expect(result.stdout.contains("commands cannot be confined"), "\(result.stdout)")
    }

    @Test("a provider's base URL is reachable when a server listens, and not when nothing does")
    func reachability() async throws {
        let f = try CLIFixture()
        let server = try await LoopbackHTTPServer.start()
        let up = try await KodeCLI.run(["doctor", "--json", "--provider", "openai", "--base-url", server.baseURL("/v1"), "--store", f.store], environment: Self.quiet)
        await server.shutdown()
        // A port bound but not listening: refused, and no other test can take it meanwhile.
        let closed = try ClosedPort()
        let down = try await KodeCLI.run(["doctor", "--json", "--provider", "openai", "--base-url", "http://127.0.0.1:\(closed.port)/v1", "--store", f.store], environment: Self.quiet)
        let upProvider = try #require(try JSONValue.parse(up.stdout)["providers"]?.arrayValue?.first)
        #expect(upProvider["reachable"]?.boolValue == true, "\(up.stdout)")
        #expect(upProvider["key"] == nil || upProvider["key"] == .null)
        let downProvider = try #require(try JSONValue.parse(down.stdout)["providers"]?.arrayValue?.first)
        #expect(downProvider["reachable"]?.boolValue == false, "\(down.stdout)")
    }
}

/// The sandbox flags of `kode run` reach the agent, `kode agents` shows them, and a command in
/// the default sandbox cannot write outside the work directory.
@Suite("kode run --sandbox")
struct SandboxFlagTests {
    @Test("the default sandbox refuses a write outside; kode agents shows each agent's sandbox")
    func defaultAndReadOnly() async throws {
        let f = try CLIFixture()
        let outside = f.root.appendingPathComponent("outside.txt").path
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo x > \#(outside)"}}]},{"text":"bye"}]}"#)
        let first = try await f.run(script, ["--permission", "auto", "--prompt", "go"])
        #expect(first.status == 0, "\(first.stderr)")
        #if os(Linux)
        #expect(!FileManager.default.fileExists(atPath: outside))
        #endif
        let second = try await f.run(script, ["--permission", "auto", "--sandbox", "read-only", "--network", "--prompt", "go"])
        #expect(second.status == 0, "\(second.stderr)")
        let listing = try await KodeCLI.run(["agents", "--json", "--store", f.store])
        let rows = try #require(try JSONValue.parse(listing.stdout).arrayValue)
        let sandboxes = rows.compactMap { $0["sandbox"]?.stringValue }
        #if os(Linux)
        #expect(sandboxes == ["workspace-write", "read-only +net"], "\(listing.stdout)")
        #endif
        let table = try await KodeCLI.run(["agents", "--store", f.store])
        #expect(table.stdout.contains("SANDBOX"))
    }
}

/// A loopback TCP port that is bound and never listens, so connecting to it is refused; held
/// until the value is released.
final class ClosedPort: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard descriptor >= 0, bound else {
            if descriptor >= 0 { close(descriptor) }
            throw POSIXError(.EADDRNOTAVAIL)
        }
        fd = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
