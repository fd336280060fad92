import CNcursesShim
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The production backend: ncursesw, output only. Input is read by `InputReader` on its own
/// thread from the raw file descriptor, so curses is only ever called from the UI loop.
///
/// Raw mode without signals (Ctrl+C and Ctrl+Z arrive as keys), no echo, no newline
/// translation, Esc delay 25 ms, 256 colours when the terminal has them with the terminal's
/// default background kept (`use_default_colors`), bracketed paste on while running, and with
/// `mouse` xterm mouse reporting (mode 1000: presses, releases and the wheel; mode 1006: SGR
/// coordinates, unlimited by the 223 columns of the old encoding) on while running.
/// This is the only file that imports `CNcursesShim`.
///
/// Mouse reporting is switched with the DEC private modes directly rather than `mousemask`:
/// input never goes through curses (`InputReader` decodes the reports), and `mousemask` picks
/// the modes from terminfo's `XM`, which `xterm-256color` has (1006) but `tmux-256color` and
/// `screen-256color` lack (legacy reports only, cut at column 223), so the encoding would depend
/// on TERM.
public final class NcursesBackend: TerminalBackend {
    public private(set) var width = 80
    public private(set) var height = 24
    public private(set) var capabilities = TerminalCapabilities(unicode: true, colors: 0)
    private var theme: Theme
    /// Colours the terminal has, whatever the theme wants.
    private var terminalColors = 0
    private var previous: Canvas?
    private var running = false
    private var attrCache: [Style: (attr_t, Int16)] = [:]
    private var scratch = [wchar_t](repeating: 0, count: 8)
    /// Mouse reporting while running (`[app] mouse`).
    private let mouse: Bool

    /// A backend drawing with `theme`; with `mouse`, the terminal reports the mouse (wheel and
    /// clicks) while the app runs, and terminal selection then needs Shift held in most terminals.
    public init(theme: Theme, mouse: Bool = false) {
        self.theme = theme
        self.mouse = mouse
    }

    /// Bracketed paste (and mouse reporting) on or off.
    private var modesOn: String { "\u{1b}[?2004h" + (mouse ? "\u{1b}[?1000h\u{1b}[?1006h" : "") }
    private var modesOff: String { (mouse ? "\u{1b}[?1006l\u{1b}[?1000l" : "") + "\u{1b}[?2004l" }

    public func start() throws {
        setlocale(LC_ALL, "")
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw TerminalError("kode needs a terminal (stdin and stdout must be a TTY); use 'kode run' for scripts")
        }
        guard initscr() != nil else { throw TerminalError("cannot initialise the terminal (is TERM set?)") }
        raw()
        noecho()
        nonl()
        _ = kode_set_escdelay(25)
        intrflush(kode_stdscr(), false)
        let colors: Int
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(kode_colors()) >= 256 ? 256 : (Int(kode_colors()) >= 8 ? 8 : 0)
        } else {
            colors = 0
        }
        terminalColors = colors
        capabilities = TerminalCapabilities(unicode: TerminalCapabilities.localeIsUTF8(), colors: theme.isMonochrome ? 0 : colors)
        setupPairs()
        width = Int(kode_cols())
        height = Int(kode_lines())
        running = true
        writeRaw(modesOn)
    }

    public func flush(_ canvas: Canvas, cursor: (x: Int, y: Int)?) {
        guard running else { return }
        let diff = CanvasDiff.between(previous, canvas)
        let scr = kode_stdscr()
        for run in diff.runs {
            var x = run.x
            while x < run.x + run.count {
                let cell = canvas[x, run.y]
                if cell.width == 0 { x += 1; continue }
                draw(cell, canvas: canvas, x: x, y: run.y)
                x += max(Int(cell.width), 1)
            }
        }
        if let c = cursor {
            curs_set(1)
            wmove(scr, Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(scr)
        doupdate()
        previous = canvas
    }

    public func invalidate() {
        previous = nil
        if running { clearok(kode_stdscr(), true) }
    }

    public func updateSize() -> Bool {
        var ws = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return false }
        let w = Int(ws.ws_col), h = Int(ws.ws_row)
        guard w != width || h != height else { return false }
        resizeterm(Int32(h), Int32(w))
        width = w
        height = h
        invalidate()
        return true
    }

    public func suspend() {
        guard running else { return }
        writeRaw(modesOff)
        def_prog_mode()
        endwin()
        SignalRelay.restoreTerminalModes()
    }

    public func resume() {
        guard running else { return }
        reset_prog_mode()
        writeRaw(modesOn)
        _ = updateSize()
        invalidate()
        wrefresh(kode_stdscr())
    }

    public func stop() {
        guard running else { return }
        running = false
        writeRaw(modesOff)
        endwin()
        SignalRelay.restoreTerminalModes()
    }

    // MARK: drawing

    private func draw(_ cell: Cell, canvas: Canvas, x: Int, y: Int) {
        let (attr, pair) = attributes(cell.style)
        var n = 0
        if cell.code & Cell.clusterFlag != 0 {
            // ncurses holds at most CCHARW_MAX (5) scalars per cell: longer clusters (ZWJ
            // families) keep their first scalars; the width is already reserved, so borders hold.
            for s in canvas.text(of: cell).unicodeScalars where n < 4 {
                scratch[n] = wchar_t(bitPattern: s.value)
                n += 1
            }
        } else {
            scratch[0] = wchar_t(bitPattern: cell.code)
            n = 1
        }
        scratch[n] = 0
        let rc = scratch.withUnsafeBufferPointer { kode_put_cluster(Int32(y), Int32(x), $0.baseAddress, attr, pair) }
        if rc == kode_err() && cell.width == 2 && !(y == height - 1 && x >= width - 2) {
            // The terminal refused the glyph: keep the two columns with spaces.
            scratch[0] = 0x20
            scratch[1] = 0
            _ = scratch.withUnsafeBufferPointer { kode_put_cluster(Int32(y), Int32(x), $0.baseAddress, attr, pair) }
            _ = scratch.withUnsafeBufferPointer { kode_put_cluster(Int32(y), Int32(x + 1), $0.baseAddress, attr, pair) }
        }
    }

    public func emit(_ bytes: [UInt8]) {
        guard running, !bytes.isEmpty else { return }
        // Frames are written by `doupdate` through stdio: what it holds goes first, so a
        // sequence never lands inside a half-written frame.
        fflush(nil)
        _ = bytes.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count) }
    }

    public func use(_ theme: Theme) {
        self.theme = theme
        attrCache = [:]
        capabilities = TerminalCapabilities(unicode: capabilities.unicode, colors: theme.isMonochrome ? 0 : terminalColors)
        if running { setupPairs() }
        previous = nil
    }

    private func setupPairs() {
        guard capabilities.colors > 0 else { return }
        for role in StyleRole.allCases {
            let (fg, bg) = theme.look(role).colorNumbers(colors: capabilities.colors)
            init_pair(Int16(role.rawValue) + 1, Int16(fg), Int16(bg))
        }
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        if let hit = attrCache[style] { return hit }
        let look = theme.look(style.role)
        var attr = kode_a_normal()
        if look.bold || style.bold { attr |= kode_a_bold() }
        if look.dim { attr |= kode_a_dim() }
        if look.reverse != style.reverse { attr |= kode_a_reverse() }
        if look.underline || style.underline { attr |= kode_a_underline() }
        let pair: Int16 = capabilities.colors > 0 ? Int16(style.role.rawValue) + 1 : 0
        attrCache[style] = (attr, pair)
        return (attr, pair)
    }

    private func writeRaw(_ s: String) {
        fflush(nil)
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count) }
    }
}

/// The terminal cannot be used, and why.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ message: String) { description = message }
}
