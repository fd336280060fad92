// kode-confine: confines itself with Landlock (and, with the network off, a new network
// namespace), then execs the command. The kernel's bash_run starts `/bin/bash -c CMD` through it.
//
// It is C, not Swift, so that nothing but a handful of syscalls runs between spawn and exec: a
// Swift binary's start-up alone would cost more than the whole confinement (docs: ≤ 5 ms).
//
//   kode-confine --probe
//       prints `landlock=N` (0: none) and `network=netns|userns|landlock-tcp|none`, one a line.
//   kode-confine [--read-only] [--no-network] [--write PATH]... -- PROGRAM [ARG]...
//       --read-only   no writes anywhere (the --write paths are ignored) except a few devices
//       --no-network  no TCP or UDP to anywhere, loopback included; DNS fails
//       --write PATH  writes allowed beneath PATH (a directory) or to PATH (a file)
//
// Every failure to confine is fatal: it prints `kode-confine: …` on stderr and exits 125, and the
// command does not run. Landlock rules and the namespace are inherited by every child.

// unshare and O_PATH are GNU extensions; the macro must come before the first header.
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__

#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif
#ifndef CLONE_NEWNET
#define CLONE_NEWNET 0x40000000
#endif

// The uapi of <linux/landlock.h>, spelled out: the installed header may predate the kernel (the
// one on the build machine stops at ABI 2), and every field used here is fixed by the kernel's ABI.
struct kc_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; // ABI 4
    uint64_t scoped;             // ABI 6
};

struct kc_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

#define KC_CREATE_RULESET_VERSION (1U << 0)
#define KC_RULE_PATH_BENEATH 1

#define KC_FS_EXECUTE (1ULL << 0)
#define KC_FS_WRITE_FILE (1ULL << 1)
#define KC_FS_READ_FILE (1ULL << 2)
#define KC_FS_READ_DIR (1ULL << 3)
#define KC_FS_REMOVE_DIR (1ULL << 4)
#define KC_FS_REMOVE_FILE (1ULL << 5)
#define KC_FS_MAKE_CHAR (1ULL << 6)
#define KC_FS_MAKE_DIR (1ULL << 7)
#define KC_FS_MAKE_REG (1ULL << 8)
#define KC_FS_MAKE_SOCK (1ULL << 9)
#define KC_FS_MAKE_FIFO (1ULL << 10)
#define KC_FS_MAKE_BLOCK (1ULL << 11)
#define KC_FS_MAKE_SYM (1ULL << 12)
#define KC_FS_REFER (1ULL << 13)     // ABI 2
#define KC_FS_TRUNCATE (1ULL << 14)  // ABI 3
#define KC_FS_IOCTL_DEV (1ULL << 15) // ABI 5

#define KC_NET_BIND_TCP (1ULL << 0)
#define KC_NET_CONNECT_TCP (1ULL << 1)

#define KC_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define KC_SCOPE_SIGNAL (1ULL << 1)

// Rights that make sense on a file (not a directory); others make landlock_add_rule fail.
#define KC_FILE_RIGHTS (KC_FS_EXECUTE | KC_FS_WRITE_FILE | KC_FS_READ_FILE | KC_FS_TRUNCATE | KC_FS_IOCTL_DEV)

// Devices every shell and most tools write to; never a terminal (/dev/tty would reach the
// person's screen and, with TIOCSTI, their keyboard).
static const char *const kc_devices[] = {"/dev/null", "/dev/zero", "/dev/full", NULL};

static _Noreturn void die(const char *what, const char *detail) {
    fprintf(stderr, "kode-confine: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(125);
}

static int landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, KC_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

static uint64_t handled_fs(int abi) {
    uint64_t rights = (KC_FS_MAKE_SYM << 1) - 1; // ABI 1: bits 0…12
    if (abi >= 2) rights |= KC_FS_REFER;
    if (abi >= 3) rights |= KC_FS_TRUNCATE;
    if (abi >= 5) rights |= KC_FS_IOCTL_DEV;
    return rights;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t length = (ssize_t)strlen(text);
    ssize_t written = write(fd, text, (size_t)length);
    close(fd);
    return written == length ? 0 : -1;
}

// A network namespace of our own has nothing but a loopback that is down: no connection leaves it,
// not even to 127.0.0.1, and DNS fails. Root may create one directly; anyone else needs a user
// namespace first, with the uid and gid mapped to themselves so files keep their owners.
// Returns "netns", "userns" or NULL.
static const char *isolate_network(void) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWNET) == 0) return "netns";
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) return NULL;
    char map[64];
    if (write_file("/proc/self/setgroups", "deny") != 0 && errno != ENOENT) die("cannot write /proc/self/setgroups", strerror(errno));
    snprintf(map, sizeof map, "%u %u 1", (unsigned)uid, (unsigned)uid);
    if (write_file("/proc/self/uid_map", map) != 0) die("cannot write /proc/self/uid_map", strerror(errno));
    snprintf(map, sizeof map, "%u %u 1", (unsigned)gid, (unsigned)gid);
    if (write_file("/proc/self/gid_map", map) != 0) die("cannot write /proc/self/gid_map", strerror(errno));
    return "userns";
}

static void allow(int ruleset, const char *path, uint64_t rights, uint64_t handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) die(path, strerror(errno));
    struct stat info;
    if (fstat(fd, &info) != 0) die(path, strerror(errno));
    struct kc_path_beneath_attr rule = {
        .allowed_access = rights & handled & (S_ISDIR(info.st_mode) ? ~0ULL : KC_FILE_RIGHTS),
        .parent_fd = fd,
    };
    if (syscall(SYS_landlock_add_rule, ruleset, KC_RULE_PATH_BENEATH, &rule, 0) != 0) die(path, strerror(errno));
    close(fd);
}

static int probe(void) {
    int abi = landlock_abi();
    printf("landlock=%d\n", abi);
    // Try the namespace in a child, so this process stays as it was.
    pid_t child = fork();
    if (child == 0) _exit(isolate_network() ? 0 : 1);
    int status = 0;
    const char *network = "none";
    if (child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0) network = "namespace";
    else if (abi >= 4) network = "landlock-tcp";
    printf("network=%s\n", network);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--probe") == 0) return probe();

    int readOnly = 0, noNetwork = 0, first = -1;
    const char *writable[64];
    int writableCount = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { first = i + 1; break; }
        if (strcmp(argv[i], "--read-only") == 0) readOnly = 1;
        else if (strcmp(argv[i], "--no-network") == 0) noNetwork = 1;
        else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
            if (writableCount == 64) die("too many --write paths (at most 64)", NULL);
            writable[writableCount++] = argv[++i];
        } else die("unknown argument", argv[i]);
    }
    if (first < 0 || first >= argc) die("usage: kode-confine [--read-only] [--no-network] [--write PATH]... -- PROGRAM [ARG]...", NULL);

    int abi = landlock_abi();
    if (abi < 1) die("Landlock is not available in this kernel", strerror(errno));
    // Without it, a set-uid program could gain rights the rules below do not foresee; Landlock requires it too.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)", strerror(errno));
    // Before Landlock: writing the uid map is a write outside the allowed paths.
    const char *isolated = noNetwork ? isolate_network() : NULL;
    if (noNetwork && !isolated && abi < 4) die("cannot turn the network off: no network namespace and no Landlock network rules", strerror(errno));

    uint64_t handled = handled_fs(abi);
    struct kc_ruleset_attr attr = {.handled_access_fs = handled};
    // Belt and braces with the namespace, and the only TCP barrier without one.
    if (noNetwork && abi >= 4) attr.handled_access_net = KC_NET_BIND_TCP | KC_NET_CONNECT_TCP;
    // No signals to processes outside the sandbox (Kode itself), no abstract Unix sockets out of it.
    if (abi >= 6) attr.scoped = KC_SCOPE_ABSTRACT_UNIX_SOCKET | KC_SCOPE_SIGNAL;
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) die("landlock_create_ruleset", strerror(errno));

    allow(ruleset, "/", KC_FS_EXECUTE | KC_FS_READ_FILE | KC_FS_READ_DIR, handled);
    for (int i = 0; kc_devices[i]; i++) {
        if (access(kc_devices[i], F_OK) == 0) allow(ruleset, kc_devices[i], KC_FS_READ_FILE | KC_FS_WRITE_FILE | KC_FS_TRUNCATE | KC_FS_IOCTL_DEV, handled);
    }
    if (!readOnly) {
        for (int i = 0; i < writableCount; i++) allow(ruleset, writable[i], handled, handled);
    }
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) die("landlock_restrict_self", strerror(errno));
    close(ruleset);

    execv(argv[first], argv + first);
    die(argv[first], strerror(errno));
}

#else

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--probe") == 0) {
        printf("landlock=0\nnetwork=none\n");
        return 0;
    }
    fprintf(stderr, "kode-confine: this system has no Landlock; commands cannot be confined here\n");
    return 125;
}

#endif
