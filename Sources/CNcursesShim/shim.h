#ifndef KODE_NCURSES_SHIM_H
#define KODE_NCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <curses.h>
#endif
