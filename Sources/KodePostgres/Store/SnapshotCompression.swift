import Foundation

/// How the PostgreSQL store keeps a snapshot's bytes (docs/POSTGRES.md, "Snapshots"): compressed
/// on the client, because the server hands a value over decompressed whatever its column
/// compression, and moving a long agent's state over the connection was most of opening it
/// (a 1,000-step tool loop's 481 KiB state took 1.0–1.7 ms to arrive; compressed to 130 KiB by
/// the first version of this compressor, 0.7–0.9 ms). The server keeps the result as it comes
/// (the column's storage is `EXTERNAL`, schema version 4), so it never decompresses on a read.
///
/// The layout, an LZ77 format in the manner of LZ4's blocks:
///
///     "KLZ1" | raw length u32 | sequences
///     sequence: token u8 (high nibble: literal count, low nibble: match length − 4; 15 means
///               more follows as bytes added up, each 255 meaning one more byte)
///               | literal count bytes | match offset u16 (1 … 65,535), absent in the last one
///
/// A stored value that does not start with the magic is a snapshot as earlier builds wrote it,
/// read as it is (the kernel's states start with `KODESTAT` or `{`).
package enum SnapshotCompression {
    static let magic: [UInt8] = Array("KLZ1".utf8)
    static let headerSize = 8
    static let minimumMatch = 4
    static let maximumOffset = 65_535
    /// The last bytes are always literals, so a match never needs to look past the end.
    static let literalTail = 5
    private static let hashBits = 15
    /// The window's positions, for the hash chain (offsets reach 65,535 back).
    private static let windowMask = 65_535
    /// Candidates tried per position: past a few, a longer match is rare and the time is not.
    private static let chainDepth = 8

    /// Why compressed bytes could not be read, and at which byte.
    package struct Failure: Error, CustomStringConvertible {
        package var reason: String
        package var offset: Int
        package var description: String { "\(reason) (at byte \(offset) of the compressed snapshot)" }
    }

    package static func isCompressed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= headerSize && bytes.prefix(magic.count).elementsEqual(magic)
    }

    /// Compresses `input`: at each position the longest of the last `chainDepth` places the
    /// same four bytes were seen (a hash chain), and every position a match covers is entered
    /// too, so repeats that start inside an earlier match are found. A state is mostly short
    /// fields repeating at a fixed stride (a tool loop's calls, results and checkpoints); one
    /// candidate per hash and no entries inside matches left a quarter more bytes than this,
    /// which the server then compressed again (pglz) and decompressed on every read.
    package static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let count = input.count
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + count / 2 + 16)
        out.append(contentsOf: magic)
        withUnsafeBytes(of: UInt32(count).littleEndian) { out.append(contentsOf: $0) }
        guard count > 0 else { return out }

        // `heads[hash]` is the newest position with that hash; `chain[position & windowMask]`
        // the one before it, so the window's candidates for a hash are a walk back from its head.
        var heads = [Int32](repeating: -1, count: 1 << hashBits)
        var chain = [Int32](repeating: -1, count: windowMask + 1)
        func hash(_ position: Int) -> Int {
            let word = input.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            return Int((word &* 2_654_435_761) >> (32 - UInt32(hashBits)))
        }
        func enter(_ position: Int) {
            let h = hash(position)
            chain[position & windowMask] = heads[h]
            heads[h] = Int32(position)
        }
        /// The longest match at `position` among the chain's candidates: (length, offset), or
        /// length 0 when none reaches `minimumMatch`.
        func longest(at position: Int) -> (length: Int, offset: Int) {
            let word = input.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            let limit = count - literalTail - position
            var best = (length: 0, offset: 0)
            var candidate = Int(heads[hash(position)])
            var depth = 0
            while candidate >= 0, position - candidate <= maximumOffset, depth < chainDepth {
                depth += 1
                if input.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == word {
                    let length = matchLength(input, position, candidate, limit: limit)
                    if length > best.length {
                        best = (length, position - candidate)
                        if length == limit { break }
                    }
                }
                let next = Int(chain[candidate & windowMask])
                // An entry overwritten by a newer position of the window ends the walk.
                guard next < candidate else { break }
                candidate = next
            }
            return best
        }

        var anchor = 0, position = 0
        let lastMatchStart = count - literalTail - minimumMatch
        while position <= lastMatchStart {
            var match = longest(at: position)
            enter(position)
            guard match.length > 0 else {
                position += 1
                continue
            }
            // One step of lazy matching: a longer match starting at the next byte wins, the
            // byte going out as a literal.
            if position + 1 <= lastMatchStart {
                let next = longest(at: position + 1)
                if next.length > match.length + 1 {
                    enter(position + 1)
                    position += 1
                    match = next
                }
            }
            emit(&out, input, literals: anchor..<position, offset: match.offset, match: match.length)
            let end = position + match.length
            var covered = position + 1
            while covered < end, covered <= lastMatchStart {
                enter(covered)
                covered += 1
            }
            position = end
            anchor = position
        }
        emit(&out, input, literals: anchor..<count, offset: nil, match: 0)
        return out
    }

    /// How many bytes from `position` equal those from `candidate` (which are known to share
    /// four), up to `limit`.
    private static func matchLength(_ input: UnsafeRawBufferPointer, _ position: Int, _ candidate: Int, limit: Int) -> Int {
        var length = minimumMatch
        while length + 8 <= limit {
            let a = input.loadUnaligned(fromByteOffset: position + length, as: UInt64.self)
            let b = input.loadUnaligned(fromByteOffset: candidate + length, as: UInt64.self)
            if a != b { return length + (a ^ b).trailingZeroBitCount / 8 }
            length += 8
        }
        while length < limit, input[position + length] == input[candidate + length] { length += 1 }
        return length
    }

    private static func emit(_ out: inout [UInt8], _ input: UnsafeRawBufferPointer, literals: Range<Int>, offset: Int?, match: Int) {
        let literalCount = literals.count
        let matchCode = offset == nil ? 0 : match - minimumMatch
        out.append(UInt8(min(literalCount, 15) << 4 | min(matchCode, 15)))
        if literalCount >= 15 { appendLength(&out, literalCount - 15) }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[literals]))
        guard let offset else { return }
        out.append(UInt8(truncatingIfNeeded: offset))
        out.append(UInt8(truncatingIfNeeded: offset >> 8))
        if matchCode >= 15 { appendLength(&out, matchCode - 15) }
    }

    private static func appendLength(_ out: inout [UInt8], _ value: Int) {
        var rest = value
        while rest >= 255 {
            out.append(255)
            rest -= 255
        }
        out.append(UInt8(rest))
    }

    /// The bytes `compress` was given. Every length and offset is checked, so damaged input
    /// fails with an offset instead of reading or writing out of bounds.
    package static func decompress(_ input: UnsafeRawBufferPointer) throws(Failure) -> Data {
        guard isCompressed(input) else { throw Failure(reason: "no KLZ1 header", offset: 0) }
        let count = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self)))
        // A sequence of a single token produces at most 15 + 255·(bytes) literals; nothing real
        // expands more than 255 times, so a length beyond that is damage, caught before allocating.
        guard count <= max(64, (input.count - headerSize) * 255) else {
            throw Failure(reason: "a raw length of \(count) bytes cannot come from \(input.count) compressed bytes", offset: magic.count)
        }
        if count == 0 {
            guard input.count == headerSize else { throw Failure(reason: "bytes after an empty snapshot", offset: headerSize) }
            return Data()
        }
        var data = Data(count: count)
        var failure: Failure?
        data.withUnsafeMutableBytes { out in
            do throws(Failure) { try expand(input, into: out) } catch { failure = error }
        }
        if let failure { throw failure }
        return data
    }

    private static func expand(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(Failure) {
        var at = headerSize, written = 0
        func byte() throws(Failure) -> Int {
            guard at < input.count else { throw Failure(reason: "the input ends inside a sequence", offset: at) }
            defer { at += 1 }
            return Int(input[at])
        }
        func length(_ base: Int) throws(Failure) -> Int {
            guard base == 15 else { return base }
            var total = base
            while true {
                let next = try byte()
                total += next
                if next != 255 { return total }
            }
        }
        while true {
            let token = try byte()
            let literals = try length(token >> 4)
            guard literals <= input.count - at, literals <= out.count - written else {
                throw Failure(reason: "\(literals) literal bytes do not fit", offset: at)
            }
            if literals > 0 {
                out.baseAddress!.advanced(by: written).copyMemory(from: input.baseAddress!.advanced(by: at), byteCount: literals)
                at += literals
                written += literals
            }
            if written == out.count && at == input.count { return }
            let offset = try byte() | (try byte() << 8)
            let match = try length(token & 15) + minimumMatch
            guard offset > 0, offset <= written else { throw Failure(reason: "match offset \(offset) reaches before the start", offset: at - 2) }
            guard match <= out.count - written else { throw Failure(reason: "a match of \(match) bytes does not fit", offset: at) }
            let base = out.baseAddress!
            var from = written - offset
            if offset >= match {
                (base + written).copyMemory(from: base + from, byteCount: match)
            } else if offset >= 8 {
                // Overlapping, but each 8-byte step reads only bytes already written.
                var left = match, to = written
                while left >= 8 {
                    (base + to).copyMemory(from: base + from, byteCount: 8)
                    to += 8
                    from += 8
                    left -= 8
                }
                for index in 0..<left { base.storeBytes(of: base.load(fromByteOffset: from + index, as: UInt8.self), toByteOffset: to + index, as: UInt8.self) }
            } else {
                for index in 0..<match { base.storeBytes(of: base.load(fromByteOffset: from + index, as: UInt8.self), toByteOffset: written + index, as: UInt8.self) }
            }
            written += match
        }
    }
}
