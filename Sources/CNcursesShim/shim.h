#ifndef KODE_NCURSES_SHIM_H
#define KODE_NCURSES_SHIM_H

/* The wide-character API (get_wch, wadd_wch, cchar_t, setcchar) is only declared when this is set
   before <curses.h>; SwiftPM does not pass pkg-config's -D_XOPEN_SOURCE to the Clang importer. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <curses.h>

/* Swift 6 rejects the shared mutable globals and does not import the A_* macros: tiny accessors.
   Input is not read through curses (get_wch): a dedicated thread reads the raw descriptor, so
   curses is only ever called from the UI loop, and resizes come from SIGWINCH + resizeterm. */
static inline WINDOW *kode_stdscr(void) { return stdscr; }
static inline int kode_lines(void) { return LINES; }
static inline int kode_cols(void) { return COLS; }
static inline int kode_set_escdelay(int ms) { return set_escdelay(ms); }
static inline int kode_colors(void) { return COLORS; }

static inline attr_t kode_a_normal(void) { return A_NORMAL; }
static inline attr_t kode_a_bold(void) { return A_BOLD; }
static inline attr_t kode_a_dim(void) { return A_DIM; }
static inline attr_t kode_a_underline(void) { return A_UNDERLINE; }
static inline attr_t kode_a_reverse(void) { return A_REVERSE; }


/* Writes one grapheme (up to 5 code points: base, combining marks, variation selectors) with an
   attribute and a colour pair at (y, x). */
static inline int kode_put_cluster(int y, int x, const wchar_t *wcs, attr_t attr, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wcs, attr, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}

static inline int kode_err(void) { return ERR; }
#endif
