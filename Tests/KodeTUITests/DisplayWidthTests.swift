import Testing
import KodeTUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumnEach() {
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of(Character("a")) == 1)
    }

    @Test func eastAsianWideAndFullwidthAreTwo() {
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("한국") == 4)
        #expect(DisplayWidth.of("ＡＢ") == 4)
        #expect(DisplayWidth.of("ｱ") == 1)  // halfwidth katakana stays narrow
    }

    @Test func emojiPresentationIsTwo() {
        #expect(DisplayWidth.of(Character("🚀")) == 2)
        #expect(DisplayWidth.of(Character("👍")) == 2)
        #expect(DisplayWidth.of(Character("✅")) == 2)
    }

    @Test func variationSelector16MakesTextSymbolsWide() {
        #expect(DisplayWidth.of(Character("\u{2764}")) == 1)  // ❤ text presentation
        #expect(DisplayWidth.of(Character("\u{2764}\u{FE0F}")) == 2)  // ❤️
    }

    @Test func zwjSequencesAreOneClusterOfTwo() {
        let family = Character("👨‍👩‍👧")
        #expect(family.unicodeScalars.count == 5)
        #expect(DisplayWidth.of(family) == 2)
        #expect(DisplayWidth.of(Character("👍🏽")) == 2)  // skin tone modifier
        #expect(DisplayWidth.of(Character("🇯🇵")) == 2)  // flag
    }

    @Test func combiningMarksAreZero() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x200B)!) == 0)
    }
}
