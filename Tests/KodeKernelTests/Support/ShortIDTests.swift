import KodeKernel
import Testing

@Suite("Short ids")
struct ShortIDTests {
    @Test func idsAreDistinctAndUseTheBase32Alphabet() {
        let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = ShortID.make()
            #expect(id.count == 16)
            #expect(id.allSatisfy(alphabet.contains))
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }

    @Test func everyCharacterPositionVaries() {
        // A generator stuck on some bits would pin a position to one character.
        let ids = (0..<2_000).map { _ in Array(ShortID.make(length: 24)) }
        for position in 0..<24 {
            #expect(Set(ids.map { $0[position] }).count > 16, "position \(position)")
        }
    }

    @Test func messageIdsAreDistinctAndFitAnInlineString() {
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = Message.newID()
            #expect(id.hasPrefix("msg_"))
            // 15 UTF-8 bytes: what a Swift string stores without allocating.
            #expect(id.utf8.count == 15)
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }
}
