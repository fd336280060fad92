import Foundation
@testable import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// Bad input on the socket gets an error naming what was wrong; the host keeps serving.
@Suite("Protocol errors")
struct ProtocolErrorTests {
    /// After each bad client, a good one still gets answers.
    func stillServes(_ host: InProcessHost) async throws {
        let hub = host.client(name: "after")
        _ = try await hub.list()
        await hub.disconnect()
    }

    @Test func garbageBeforeTheHandshakeIsRefusedWithAReason() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        let raw = try RawClient(socketPath: host.socketPath)
        try raw.write(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        let replies = try await raw.drain()
        #expect(replies.count == 1)
        #expect(replies.first?.contains("exceeds the limit") == true)
        try await stillServes(host)
        await host.stop()
    }

    @Test func anOversizedFrameIsRefusedBeforeItIsRead() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        let raw = try RawClient(socketPath: host.socketPath)
        try await raw.hello()
        // A length far over the request limit: the host must not wait for (or allocate) it.
        try raw.write([0x7F, 0xFF, 0xFF, 0xFF, 1])
        let replies = try await raw.drain()
        #expect(replies.first?.contains(#""code":"bad_frame""#) == true)
        #expect(replies.first?.contains("2147483647") == true)
        try await stillServes(host)
        await host.stop()
    }

    @Test func aTruncatedFrameEndsOnlyThatConnection() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        do {
            let raw = try RawClient(socketPath: host.socketPath)
            try await raw.hello()
            try raw.write([0, 0, 0, 50, 1] + Array(#"{"type":"req"#.utf8))
        }
        try await stillServes(host)
        await host.stop()
    }

    @Test func badHandshakesSayWhatWasExpected() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        let cases: [(String, String)] = [
            (#"{"type":"request","id":1,"op":"list"}"#, "the first message must be 'hello'"),
            (#"{"type":"hello","version":99,"client":"x"}"#, "speaks protocol version 1; the client speaks 99"),
            (#"{"type":"hello","version":"one","client":"x"}"#, "field 'version'"),
            ("[1,2,3]", "not a message"),
            ("not json", "not a message"),
        ]
        for (message, expected) in cases {
            let raw = try RawClient(socketPath: host.socketPath)
            try raw.message(message)
            let replies = try await raw.drain()
            #expect(replies.first?.contains(expected) == true, "\(message) → \(replies)")
        }
        try await stillServes(host)
        await host.stop()
    }

    @Test func badRequestsGetErrorRepliesAndTheConnectionGoesOn() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        let raw = try RawClient(socketPath: host.socketPath)
        try await raw.hello()
        let cases: [(String, String)] = [
            (#"{"type":"request","id":1,"op":"launch_missiles"}"#, "unknown request 'launch_missiles'"),
            (#"{"type":"request","id":2,"op":"open"}"#, "missing field 'agent'"),
            (#"{"type":"request","id":3,"op":"open","agent":42}"#, "field 'agent': expected String"),
            (#"{"type":"request","id":4,"op":"send","handle":9,"text":"hi"}"#, "no open handle 9"),
            (#"{"type":"request","id":5,"op":"open","agent":"nope"}"#, "no agent 'nope'"),
            (#"{"type":"request","id":6,"op":"decide","handle":1,"callId":"c","decision":"maybe"}"#, "field 'decision'"),
            (#"{"type":"request","id":7,"op":"state","agent":"x","seq":-1}"#, "out of range"),
        ]
        for (message, expected) in cases {
            try raw.message(message)
            let reply = try #require(try await raw.next())
            #expect(reply.contains(#""error""#) && reply.contains(expected), "\(message) → \(reply.prefix(300))")
        }
        // Messages that are not requests end the connection with a reason.
        try raw.message(#"{"type":"request","op":"list"}"#)
        #expect(try await raw.next()?.contains("needs a numeric 'id'") == true)
        try await stillServes(host)
        await host.stop()
    }

    @Test func aClientThatSendsEventFramesIsRefused() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        let raw = try RawClient(socketPath: host.socketPath)
        try await raw.hello()
        try raw.write(Frame(kind: .events, payload: [0, 0, 0, 1]).bytes)
        #expect(try await raw.drain().first?.contains("JSON messages (kind 1) only") == true)
        try await stillServes(host)
        await host.stop()
    }

    /// Running a client as `nobody` needs root; the test command runs as root, so CI never skips.
    static let canSwitchUser = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test(.enabled(if: canSwitchUser, "needs root and setpriv to run a client as nobody"))
    func aPeerOfAnotherUserIsRefused() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        // Open the private directory for this test only, so the uid check is what refuses.
        chmod(host.runtime.paths.directory.path, 0o755)
        chmod(host.directory.path, 0o755)
        chmod(host.directory.appending("store").path, 0o755)
        chmod(host.socketPath, 0o777)
        let script = """
            import socket, struct, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            body = b'\\x01{"type":"hello","version":1,"client":"nobody"}'
            try:
                s.sendall(struct.pack('>I', len(body)) + body)
            except BrokenPipeError:
                pass  # the host may refuse before reading; its reason is still there to read
            data = b''
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            print(data[5:].decode())
            """
        let result = try ChildProcess.run("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c", script, host.socketPath])
        #expect(result.output.contains(#""code":"forbidden""#), "\(result)")
        #expect(result.output.contains("runs as uid 65534"))
        try await stillServes(host)
        await host.stop()
    }
}
