/// A mouse report from the terminal (only sent when `[app] mouse` turned reporting on):
/// 0-based cell coordinates, the top-left cell is (0, 0).
package struct MouseEvent: Sendable, Hashable {
    package enum Action: Sendable, Hashable {
        /// A button went down: 0 left, 1 middle, 2 right.
        case press(button: Int)
        /// A button went up (SGR reports say which; legacy ones do not: -1).
        case release(button: Int)
        /// One notch of the wheel.
        case wheelUp, wheelDown
        /// The pointer moved with a button held (reported only if the terminal was asked to).
        case drag(button: Int)
    }

    package var action: Action
    package var x: Int
    package var y: Int

    package init(_ action: Action, x: Int, y: Int) {
        self.action = action
        self.x = x
        self.y = y
    }

    /// Decodes the button byte of a report (`Cb`: the low two bits name the button, 32 marks
    /// motion, 64 the wheel; 4, 8 and 16 are Shift, Meta and Ctrl, ignored here). `released`:
    /// an SGR report that ended in `m`. Nil for what the app has no use for (wheel tilt, buttons 8+).
    package init?(button code: Int, x: Int, y: Int, released: Bool) {
        let button = code & 0b11
        let action: Action
        if code & 128 != 0 {
            return nil
        } else if code & 64 != 0 {
            switch button {
            case 0: action = .wheelUp
            case 1: action = .wheelDown
            default: return nil
            }
        } else if code & 32 != 0 {
            guard button != 3 else { return nil }  // motion with no button held
            action = .drag(button: button)
        } else if released {
            action = .release(button: button)
        } else if button == 3 {
            action = .release(button: -1)  // the legacy encoding's release
        } else {
            action = .press(button: button)
        }
        self.init(action, x: max(x - 1, 0), y: max(y - 1, 0))
    }

    /// The SGR (xterm mode 1006) bytes a terminal sends for this event: what tests type into
    /// the app. Coordinates are 1-based on the wire.
    package var sgrBytes: String {
        let code: Int
        var final = "M"
        switch action {
        case .press(let b): code = b
        case .release(let b):
            code = max(b, 0)
            final = "m"
        case .wheelUp: code = 64
        case .wheelDown: code = 65
        case .drag(let b): code = 32 + b
        }
        return "\u{1b}[<\(code);\(x + 1);\(y + 1)\(final)"
    }
}
