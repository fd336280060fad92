/// Where every pane goes for a terminal size.
///
/// - ≥ 100 columns: two columns, conversation and composer on the left, monitor (top) and
///   checkpoint tree (bottom) on the right.
/// - 60–99 columns: one column; the panes become tabs (the focused one is shown).
/// - < 60 columns: conversation (or the focused pane) and status only, no tab strip.
/// - Below 30×10 the app only says the terminal is too small.
package struct LayoutPlan: Sendable, Hashable {
    /// The layout family.
    package enum Mode: String, Sendable, Hashable {
        case wide, tabs, narrow, tooSmall
    }

    package var mode: Mode
    /// The main pane's box (conversation, or the focused pane in tab modes).
    package var main: Rect
    /// Which pane `main` shows.
    package var mainPane: Pane
    package var composer: Rect
    /// Right column boxes (wide mode only).
    package var monitor: Rect?
    package var tree: Rect?
    /// The tab strip row (tabs mode only).
    package var tabs: Rect?
    package var status: Rect

    /// Smallest usable size.
    package static let minWidth = 30
    package static let minHeight = 10
    /// Two columns from here.
    package static let wideWidth = 100
    /// Tabs from here; below, conversation and status only.
    package static let tabsWidth = 60

    /// Below the smallest size the app draws anything but its "too small" notice.
    package static func isTooSmall(width: Int, height: Int) -> Bool {
        width < minWidth || height < minHeight
    }

    /// The plan for `width`×`height` with `focus` and a composer of `composerLines` text lines.
    package static func compute(width: Int, height: Int, focus: Pane, composerLines: Int) -> LayoutPlan {
        let full = Rect(x: 0, y: 0, width: width, height: height)
        if isTooSmall(width: width, height: height) {
            return LayoutPlan(mode: .tooSmall, main: full, mainPane: .conversation, composer: Rect(x: 0, y: 0, width: 0, height: 0), monitor: nil, tree: nil, tabs: nil, status: Rect(x: 0, y: 0, width: 0, height: 0))
        }
        let (body, status) = full.splitBottom(1)
        let composerHeight = min(max(composerLines, 1), max(height / 4, 1)) + 2
        if width >= wideWidth {
            let rightWidth = max(40, width * 38 / 100)
            let (left, right) = body.splitLeft(width - rightWidth)
            let (main, composer) = left.splitBottom(composerHeight)
            let (monitor, tree) = right.splitTop(right.height / 2)
            return LayoutPlan(mode: .wide, main: main, mainPane: .conversation, composer: composer, monitor: monitor, tree: tree, tabs: nil, status: status)
        }
        let shown: Pane = focus == .composer ? .conversation : focus
        if width >= tabsWidth {
            let (tabs, rest) = body.splitTop(1)
            let (main, composer) = rest.splitBottom(composerHeight)
            return LayoutPlan(mode: .tabs, main: main, mainPane: shown, composer: composer, monitor: nil, tree: nil, tabs: tabs, status: status)
        }
        let (main, composer) = body.splitBottom(composerHeight)
        return LayoutPlan(mode: .narrow, main: main, mainPane: shown, composer: composer, monitor: nil, tree: nil, tabs: nil, status: status)
    }

    /// The content rectangle (inside the border) of the conversation, wherever it is shown.
    package var conversationContent: Rect? {
        mainPane == .conversation && mode != .tooSmall ? main.inset(1) : nil
    }
}
