/// The shipped themes, compiled in so an installed binary needs no data files. They are the
/// same text as `themes/*.toml` (a test keeps them identical); a file of the same name in the
/// user's theme directory wins.
enum BuiltinThemes {
    /// Theme file text by name.
    static let files: [String: String] = [
        "dark": #"""
        # Kode dark theme: for terminals with a dark background. The background is never painted
        # (bg = "default"), so the terminal's own background and transparency are kept.
        # fg/bg: "default", a basic colour name, or a 256-colour index. fg8/bg8: used on 8-colour terminals.
        name = "dark"

        [text]
        fg = "default"

        [dim]
        fg = 245
        fg8 = "white"
        dim = true

        [accent]
        fg = 75
        fg8 = "cyan"
        bold = true

        [user]
        fg = 114
        fg8 = "green"
        bold = true

        [agent]
        fg = 111
        fg8 = "blue"
        bold = true

        [thinking]
        fg = 244
        fg8 = "white"
        dim = true

        [tool]
        fg = 180
        fg8 = "yellow"

        [success]
        fg = 78
        fg8 = "green"

        [warning]
        fg = 221
        fg8 = "yellow"
        bold = true

        [error]
        fg = 203
        fg8 = "red"
        bold = true

        [selection]
        fg = "default"
        bg = 238
        reverse = false
        bg8 = "blue"

        [border]
        fg = 240
        fg8 = "white"

        [border_focus]
        fg = 75
        fg8 = "cyan"
        bold = true

        [title]
        fg = 252
        fg8 = "white"
        bold = true

        [status]
        fg = 252
        bg = 236
        bg8 = "blue"
        fg8 = "white"

        [status_accent]
        fg = 81
        bg = 236
        fg8 = "cyan"
        bg8 = "blue"
        bold = true

        [modal]
        fg = "default"

        [modal_border]
        fg = 221
        fg8 = "yellow"
        bold = true

        [hint]
        fg = 179
        fg8 = "yellow"

        [queued]
        fg = 244
        fg8 = "white"
        underline = false
        dim = true

        [demo]
        fg = 213
        fg8 = "magenta"
        bold = true
        """#,
        "light": #"""
        # Kode light theme: for terminals with a light background. The background is kept.
        name = "light"

        [text]
        fg = "default"

        [dim]
        fg = 243
        fg8 = "black"

        [accent]
        fg = 25
        fg8 = "blue"
        bold = true

        [user]
        fg = 28
        fg8 = "green"
        bold = true

        [agent]
        fg = 19
        fg8 = "blue"
        bold = true

        [thinking]
        fg = 244
        fg8 = "black"

        [tool]
        fg = 94
        fg8 = "yellow"

        [success]
        fg = 28
        fg8 = "green"

        [warning]
        fg = 130
        fg8 = "yellow"
        bold = true

        [error]
        fg = 160
        fg8 = "red"
        bold = true

        [selection]
        fg = "default"
        bg = 253
        bg8 = "cyan"

        [border]
        fg = 248
        fg8 = "black"

        [border_focus]
        fg = 25
        fg8 = "blue"
        bold = true

        [title]
        fg = 235
        fg8 = "black"
        bold = true

        [status]
        fg = 235
        bg = 254
        fg8 = "black"
        bg8 = "white"

        [status_accent]
        fg = 25
        bg = 254
        fg8 = "blue"
        bg8 = "white"
        bold = true

        [modal]
        fg = "default"

        [modal_border]
        fg = 130
        fg8 = "yellow"
        bold = true

        [hint]
        fg = 130
        fg8 = "yellow"

        [queued]
        fg = 245
        fg8 = "black"

        [demo]
        fg = 127
        fg8 = "magenta"
        bold = true
        """#,
        "mono": #"""
        # Kode mono theme: no colour at all, only bold, dim, reverse and underline. Used whenever
        # NO_COLOR is set (https://no-color.org) and on terminals without colour.
        name = "mono"

        [text]

        [dim]
        dim = true

        [accent]
        bold = true

        [user]
        bold = true

        [agent]
        bold = true

        [thinking]
        dim = true

        [tool]

        [success]

        [warning]
        bold = true

        [error]
        bold = true
        underline = true

        [selection]
        reverse = true

        [border]

        [border_focus]
        bold = true

        [title]
        bold = true

        [status]
        reverse = true

        [status_accent]
        reverse = true
        bold = true

        [modal]

        [modal_border]
        bold = true

        [hint]
        underline = true

        [queued]
        dim = true

        [demo]
        bold = true
        underline = true
        """#,
    ]
}
