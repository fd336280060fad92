import Foundation
import Testing
import KodeConfig
import KodeTUI
import KodeTestSupport

@Suite struct ThemeTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyShippedThemeFileIsABuiltinWithEveryRole() throws {
        // The resource folder is the one copy: a theme file dropped there must be listed, and a
        // listed name must have its file in the bundle.
        let folder = Self.repo.appendingPathComponent("Sources/KodeTUI/Resources/themes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        #expect(Set(files) == Set(ThemeLoader.builtinNames.map { "\($0).toml" }))
        for name in ThemeLoader.builtinNames {
            let text = try #require(ThemeLoader.builtinText(name), "themes/\(name).toml is not in the resource bundle")
            let theme = try Theme.parse(text, file: "themes/\(name).toml")
            #expect(theme.name == name)
            for role in StyleRole.allCases { #expect(theme.looks[role] != nil, "\(name) lacks [\(role.themeKey)]") }
        }
    }

    @Test func noColorForcesMono() throws {
        let theme = try ThemeLoader.load(name: "dark", environment: ["NO_COLOR": "1", "HOME": "/nonexistent"])
        #expect(theme.name == "mono")
        #expect(theme.isMonochrome)
        let dark = try ThemeLoader.load(name: "dark", environment: ["HOME": "/nonexistent"])
        #expect(!dark.isMonochrome)
    }

    @Test func eightColourTerminalsGetBasicColoursAndTheDefaultBackgroundIsKept() throws {
        let dark = try ThemeLoader.builtin("dark")
        let accent = dark.look(.accent)
        #expect(accent.colorNumbers(colors: 256) == (75, -1))
        #expect(accent.colorNumbers(colors: 8) == (6, -1))  // cyan
        #expect(dark.look(.text).colorNumbers(colors: 256) == (-1, -1))
        #expect(ThemeColor.nearestBasic(196) == 1)  // bright red → red
    }

    @Test func badThemeFilesNameTheLine() {
        #expect(throws: ConfigError.self) { try Theme.parse("name = \"x\"\n[text]\nfg = nope nope\n", file: "t.toml") }
        do {
            _ = try Theme.parse("[text]\nbold = true\nfg = 300\n", file: "t.toml")
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.description.hasPrefix("t.toml:3: 'fg' in [text] must be"))
            #expect(e.key == "text.fg")
        } catch { Issue.record("wrong error \(error)") }
        do {
            _ = try Theme.parse("name = \"x\"\n\n[txet]\nfg = 1\n", file: "t.toml")
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line == 3)
            #expect(e.message.contains("unknown role [txet]"))
        } catch { Issue.record("wrong error \(error)") }
        do {
            _ = try Theme.parse("a = 1\n\nb = \"unterminated\n", file: "c.toml")
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line == 3)
            #expect(e.description.hasPrefix("c.toml:3:"))
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func aUserThemeFileIsFoundByName() throws {
        let home = try TemporaryDirectory(prefix: "kode-theme-home")
        let file = home.appending(".config/kode/themes/neon.toml")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "name = \"neon\"\n[accent]\nfg = \"magenta\"\nbold = true\n".write(to: file, atomically: true, encoding: .utf8)
        let theme = try ThemeLoader.load(name: "neon", environment: ["HOME": home.path])
        #expect(theme.name == "neon")
        #expect(theme.look(.accent).fg == .basic(5))
        #expect(theme.look(.accent).bold)
    }

    @Test func unknownThemeNameListsTheBuiltins() {
        do {
            _ = try ThemeLoader.load(name: "neon", environment: ["HOME": "/nonexistent"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("dark, light, mono"))
        }
    }
}

@Suite struct KeyTests {
    @Test func decodesArrowsControlsUTF8AndAlt() {
        var d = KeyDecoder()
        let events = d.feed(Array("\u{1b}[A\u{01}é\u{1b}x\r\u{1b}[Z\u{1b}OP\u{1b}[5~".utf8))
        #expect(events == [.key(.up), .key(.ctrl("a")), .key(.char("é")), .key(.alt("x")), .key(.enter), .key(.backTab), .key(.function(1)), .key(.pageUp)])
    }

    @Test func loneEscapeIsAKeyOnlyAfterTheDelay() {
        var d = KeyDecoder()
        #expect(d.feed([0x1B]).isEmpty)
        #expect(d.hasPending)
        #expect(d.flushPendingEscape() == [.key(.esc)])
    }

    @Test func bracketedPasteIsOneEventEvenWithNewlinesAndSplitAcrossReads() {
        var d = KeyDecoder()
        let bytes = Array("\u{1b}[200~line one\rline two\n\u{1b}[201~x".utf8)
        var events: [InputEvent] = []
        for chunk in stride(from: 0, to: bytes.count, by: 3) { events += d.feed(bytes[chunk..<min(chunk + 3, bytes.count)]) }
        #expect(events == [.paste("line one\rline two\n"), .key(.char("x"))])
    }

    @Test func keymapRemapsFromConfigAndHelpFollows() throws {
        let overrides = try KeyConfig.overrides(fromTOML: "[keys]\napprove = [\"y\", \"Y\"]\ninterrupt = \"ctrl+x\"\n", file: "config.toml")
        let km = Keymap(overrides: overrides)
        #expect(km.command(for: .char("Y"), in: .approval) == .approve)
        #expect(km.command(for: .ctrl("x"), in: .conversation) == .interrupt)
        #expect(km.command(for: .ctrl("c"), in: .conversation) == nil)
        let help = HelpOverlay.lines(km).map(\.text).joined(separator: "\n")
        #expect(help.contains("ctrl+x"))
        #expect(help.contains("y / Y"))
    }

    @Test func helpTextLongerThanTheBoxWrapsUnderItsKeysInsteadOfBeingCut() throws {
        var m = Fixtures.model(width: 160, height: 200)
        m.overlays.append(.help(scroll: 0))
        let screen = Screen.rows(of: Renderer.frame(m, now: Fixtures.t0).canvas).map { Array($0) }
        // The box's columns: its last line starts two columns inside the left border.
        let footer = try #require(screen.firstIndex { String($0).contains("Keys are remappable") })
        let left = String(screen[footer]).distance(from: String(screen[footer]).startIndex, to: try #require(String(screen[footer]).range(of: "Keys are remappable")).lowerBound) - 2
        let rows = screen.map { String($0[min(left + 1, $0.count)..<min(left + 83, $0.count)]) }
        let words: (String) -> String = { $0.split(separator: " ").joined(separator: " ") }
        let text = words(rows.joined(separator: " "))
        let long = try #require(m.keymap.bindings.max { $0.help.count < $1.help.count })
        #expect(long.help.count > 84 - HelpOverlay.keyColumn, "the test needs a help text wider than the box")
        for binding in m.keymap.bindings {
            #expect(text.contains(words(binding.help)), "\(binding.help) is shown whole")
        }
        // A continuation starts under the text, not under the keys.
        let first = try #require(rows.firstIndex { $0.contains(long.help.prefix(20)) })
        let line = rows[first]
        let textColumn = line.distance(from: line.startIndex, to: try #require(line.range(of: String(long.help.prefix(20)))).lowerBound)
        let next = Array(rows[first + 1])
        #expect(next.prefix(textColumn).allSatisfy { $0 == " " })
        #expect(next.count > textColumn && next[textColumn] != " ")
    }

    @Test func badKeyConfigNamesTheEntry() {
        do {
            _ = try KeyConfig.overrides(fromTOML: "[keys]\nhelp = \"f1\"\nfly = \"f\"\n", file: "c.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("c.toml:3: unknown command 'fly' in [keys]"))
        }
        do {
            _ = try KeyConfig.overrides(fromTOML: "[keys]\napprove = \"hyper+q\"\n", file: "c.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("c.toml:2:"))
            #expect(error.description.contains("hyper+q"))
        }
        #expect(throws: ConfigError.self) { try KeyConfig.overrides(fromTOML: "[keys]\napprove = 1\n", file: "c.toml") }
    }
}

@Suite struct ComposerTests {
    @Test func readlineEditing() {
        var c = Composer()
        c.insert("hello brave world")
        c.deleteWord()
        #expect(c.text == "hello brave ")
        c.lineStart()
        c.insert(">> ")
        #expect(c.text == ">> hello brave ")
        c.killToEnd()
        #expect(c.text == ">> ")
        c.lineEnd()
        c.insert("x")
        c.lineStart()
        c.moveRight()
        c.killToStart()
        #expect(c.text == "> x")
    }

    @Test func multiLineAndHistoryAtTheEdges() {
        var c = Composer()
        c.insert("first")
        _ = c.take()
        c.insert("second")
        _ = c.take()
        c.insert("draft")
        c.newline()
        c.insert("line2")
        c.up()  // moves to line 1, not history
        #expect(c.row == 0)
        c.up()  // at the first line: history
        #expect(c.text == "second")
        c.up()
        #expect(c.text == "first")
        c.down()
        c.down()
        #expect(c.text == "draft\nline2")
    }
}
