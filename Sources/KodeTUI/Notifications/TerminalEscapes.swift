import Foundation

/// The bytes the app writes to the terminal outside the frame: the bell, desktop
/// notifications and the clipboard. Everything that goes into them from agents (tool names,
/// model text, file contents for the clipboard) is made safe here: a notification text loses
/// every control character (an ESC or BEL inside one would end the sequence early and let the
/// rest run as terminal commands), and clipboard text travels base64-encoded.
package enum TerminalEscapes {
    static let esc: UInt8 = 0x1B
    static let bel: UInt8 = 0x07
    /// Desktop notification texts are short; terminals truncate anyway.
    static let textLimit = 200
    /// OSC 52 payloads beyond this are refused by tmux and many terminals (xterm: 100,000).
    package static let clipboardLimit = 74_994

    /// BEL. Never wrapped for tmux: tmux takes a bare BEL as the window's bell (its
    /// `bell-action`, and the outer terminal's bell), which is what the person needs.
    package static let bell: [UInt8] = [bel]

    /// A desktop notification in `style`, wrapped for tmux when `tmux` is set (inside tmux the
    /// outer terminal only sees what tmux passes through). Empty for `.off`.
    package static func notification(title: String, body: String, style: NotificationSettings.Desktop, tmux: Bool) -> [UInt8] {
        let t = notificationText(title)
        let b = notificationText(body)
        let osc: String
        switch style {
        case .off: return []
        case .osc9: osc = "9;" + (b.isEmpty ? t : "\(t): \(b)")
        // `;` separates the fields of OSC 777, so it cannot appear inside the title.
        case .osc777: osc = "777;notify;" + t.replacingOccurrences(of: ";", with: ",") + ";" + b
        }
        return wrap(osc: Array(osc.utf8), tmux: tmux)
    }

    /// `OSC 52 ; c ; base64 ST`: puts `text` on the clipboard of the terminal the person sits
    /// at, also over SSH. Nil when the text is too long for terminals to accept.
    ///
    /// Inside tmux the sequence goes twice: as it is, which tmux takes itself when
    /// `set-clipboard` is `on` (a tmux buffer, forwarded to the outer terminal), and wrapped for
    /// passthrough, which reaches the outer terminal when `allow-passthrough` is on. tmux drops
    /// what its settings refuse, so neither leaves anything on the screen.
    package static func clipboard(_ text: String, tmux: Bool) -> [UInt8]? {
        let encoded = Data(text.utf8).base64EncodedString()
        guard encoded.utf8.count <= clipboardLimit else { return nil }
        let osc = Array("52;c;\(encoded)".utf8)
        return tmux ? wrap(osc: osc, tmux: false) + wrap(osc: osc, tmux: true) : wrap(osc: osc, tmux: false)
    }

    /// Text safe inside an OSC string: control characters (C0, DEL, C1) become spaces, runs of
    /// spaces collapse, bidirectional controls go, and the result is cut to `textLimit`.
    package static func notificationText(_ text: String) -> String {
        var out = ""
        var lastSpace = true
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let control = v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
            let bidi = (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            if bidi { continue }
            if control || scalar == " " {
                if !lastSpace { out.append(" ") }
                lastSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastSpace = false
            }
        }
        while out.last == " " { out.removeLast() }
        if out.count > textLimit { out = String(out.prefix(textLimit - 1)) + "…" }
        return out
    }

    /// `ESC ] osc ST`; inside tmux a DCS passthrough (`ESC P tmux; … ESC \`) with every ESC of
    /// the inner sequence doubled, which tmux forwards when `allow-passthrough` is on.
    static func wrap(osc: [UInt8], tmux: Bool) -> [UInt8] {
        let inner: [UInt8] = [esc, UInt8(ascii: "]")] + osc + [esc, UInt8(ascii: "\\")]
        guard tmux else { return inner }
        var out: [UInt8] = [esc] + Array("Ptmux;".utf8)
        for byte in inner {
            if byte == esc { out.append(esc) }
            out.append(byte)
        }
        out += [esc, UInt8(ascii: "\\")]
        return out
    }
}
