#ifndef KODE_CHOSTSUPPORT_H
#define KODE_CHOSTSUPPORT_H

/// Accepts a connection with close-on-exec set atomically, so a command the agent starts in
/// another thread at the same moment never inherits a client's socket. -1 with errno on failure.
int kode_accept_cloexec(int listener);

/// The user id of the process at the other end of a Unix domain socket, in *uid. 0 on success,
/// -1 with errno on failure.
int kode_peer_uid(int fd, unsigned int *uid);

/// posix_spawn's flag for "start a new session" (POSIX_SPAWN_SETSID, a GNU extension).
short kode_spawn_setsid_flag(void);

#endif
