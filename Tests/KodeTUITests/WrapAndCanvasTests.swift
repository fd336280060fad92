import Testing
import KodeTUI

@Suite struct WrapAndCanvasTests {
    @Test func wrapsAtSpacesByWidth() {
        #expect(WordWrap.lines("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(WordWrap.lines("a\n\nb", width: 10) == ["a", "", "b"])
    }

    @Test func splitsWordsLongerThanTheLine() {
        #expect(WordWrap.lines("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func cjkWrapsByDisplayWidthAndNeverExceedsIt() {
        let lines = WordWrap.lines("日本語のテキストを折り返す", width: 7)
        for l in lines { #expect(DisplayWidth.of(l) <= 7) }
        #expect(lines.first == "日本語")
    }

    @Test func emojiClustersAreNeverSplit() {
        let lines = WordWrap.lines("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", width: 5)
        #expect(lines == ["👨‍👩‍👧👨‍👩‍👧", "👨‍👩‍👧"])
    }

    @Test func wideCharacterAtTheClipEdgeBecomesPaddingNotABrokenBorder() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("|", x: 5, y: 0, style: .text)
        canvas.put("ab日本", x: 0, y: 0, style: .text, maxX: 5)
        // "ab" + 日 (2 cols) = 4 columns; 本 would need columns 4-5, but the clip is 5.
        #expect(canvas.rowText(0) == "ab日 |")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("日本", x: 0, y: 0, style: .text)
        canvas.put("x", x: 1, y: 0, style: .text)
        #expect(canvas.rowText(0) == " x本")
        canvas.put("y", x: 2, y: 0, style: .text)
        #expect(canvas.rowText(0) == " xy ")
    }

    @Test func diffSendsOnlyChangedRuns() {
        var a = Canvas(width: 20, height: 3)
        a.put("hello", x: 0, y: 1, style: .text)
        var b = a
        b.put("help!", x: 0, y: 1, style: .text)
        let diff = CanvasDiff.between(a, b)
        #expect(diff.runs.count == 1)
        #expect(diff.runs[0].y == 1)
        #expect(diff.cellCount == 2)  // "p" and "!" merged into one run starting at column 3
        #expect(CanvasDiff.between(nil, b).cellCount == 60)
    }

    @Test func wrapCacheReusesLinesUntilVersionOrWidthChanges() {
        let cache = WrapCache()
        var calls = 0
        let make: () -> [StyledLine] = { calls += 1; return [StyledLine("x", .text)] }
        _ = cache.lines(id: 1, version: 0, width: 80, make: make)
        _ = cache.lines(id: 1, version: 0, width: 80, make: make)
        #expect(calls == 1)
        _ = cache.lines(id: 1, version: 1, width: 80, make: make)
        _ = cache.lines(id: 1, version: 1, width: 60, make: make)
        #expect(calls == 3)
    }
}
