// Glibc hides accept4 and struct ucred behind _GNU_SOURCE, which Swift's Glibc module is not
// built with; this file is, and exposes the two calls with plain types.
#define _GNU_SOURCE
#include "CHostSupport.h"
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <fcntl.h>
#include <spawn.h>

int kode_accept_cloexec(int listener) {
#ifdef __linux__
    return accept4(listener, 0, 0, SOCK_CLOEXEC);
#else
    int fd = accept(listener, 0, 0);
    if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
#endif
}

int kode_peer_uid(int fd, unsigned int *uid) {
#ifdef __linux__
    struct ucred cred;
    socklen_t size = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0) return -1;
    *uid = cred.uid;
    return 0;
#else
    uid_t u;
    gid_t g;
    if (getpeereid(fd, &u, &g) != 0) return -1;
    *uid = u;
    return 0;
#endif
}

short kode_spawn_setsid_flag(void) {
#ifdef POSIX_SPAWN_SETSID
    return POSIX_SPAWN_SETSID;
#else
    return 0;
#endif
}
