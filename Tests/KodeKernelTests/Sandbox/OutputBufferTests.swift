import Testing
import KodeKernel

@Suite struct OutputBufferTests {
    @Test func headKeepsTheStartAndCountsTheRest() {
        var buffer = OutputBuffer(limit: 4, keep: .head)
        buffer.append(Array("abcdef".utf8))
        buffer.append(Array("gh".utf8))
        let taken = buffer.take(maxBytes: 100)
        #expect(String(decoding: taken.bytes, as: UTF8.self) == "abcd")
        #expect(taken.droppedBefore == 4)
        #expect(taken.remaining == 0)
        #expect(buffer.total == 8)
    }

    @Test func tailKeepsTheEndAndReportsTheDropOnce() {
        var buffer = OutputBuffer(limit: 4, keep: .tail)
        buffer.append(Array("abcdef".utf8))
        let first = buffer.take(maxBytes: 100)
        #expect(String(decoding: first.bytes, as: UTF8.self) == "cdef")
        #expect(first.droppedBefore == 2)
        buffer.append(Array("g".utf8))
        let second = buffer.take(maxBytes: 100)
        #expect(String(decoding: second.bytes, as: UTF8.self) == "g")
        #expect(second.droppedBefore == 0)
    }

    @Test func takeNeverSplitsACharacter() {
        var buffer = OutputBuffer(limit: 100, keep: .head)
        buffer.append(Array("aé€".utf8))  // 1 + 2 + 3 bytes
        let first = buffer.take(maxBytes: 2)
        #expect(String(decoding: first.bytes, as: UTF8.self) == "a")
        #expect(first.remaining == 5)
        let second = buffer.take(maxBytes: 4)
        #expect(String(decoding: second.bytes, as: UTF8.self) == "é")
        let third = buffer.take(maxBytes: 3)
        #expect(String(decoding: third.bytes, as: UTF8.self) == "€")
        #expect(third.remaining == 0)
    }

    @Test func exitStatusDecoding() {
        #expect(ShellExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ShellExitStatus(waitStatus: 9) == .signaled(9))
        #expect(ShellExitStatus.signaled(9).code == 137)
        #expect(ShellExitStatus.exited(0).description == "exit code 0")
    }
}
