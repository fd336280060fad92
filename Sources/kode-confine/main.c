// kode-confine: confines itself with Landlock (with the network off, a new network namespace; with
// paths to protect or hide, a private mount namespace), then execs the command. The kernel's bash_run starts `/bin/bash -c CMD` through it.
//
// It is C, not Swift, so that nothing but a handful of syscalls runs between spawn and exec: a
// Swift binary's start-up alone would cost more than the whole confinement (docs: ≤ 5 ms).
//
//   kode-confine --probe
//       prints `landlock=N` (0: none), `network=namespace|landlock-tcp|none` and
//       `mount=namespace|none`, one a line.
//   kode-confine [--read-only] [--no-network] [--write PATH]... [--protect PATH]... [--hide DIR]...
//                -- PROGRAM [ARG]...
//       --read-only    no writes anywhere (the --write paths are ignored) except a few devices
//       --no-network   no TCP or UDP to anywhere, loopback included; DNS fails
//       --write PATH   writes allowed beneath PATH (a directory) or to PATH (a file)
//       --protect PATH read-only even beneath a --write path (the agent's store inside the work dir)
//       --hide DIR     replaced by an empty read-only directory, made first if missing (the host's
//                      socket directory: Landlock does not stop connect() to a pathname socket)
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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif
#ifndef CLONE_NEWNET
#define CLONE_NEWNET 0x40000000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS 0x00020000
#endif

#define KC_MAX_PATHS 64

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

// Namespaces of our own (`flags`: CLONE_NEWNET and/or CLONE_NEWNS). A network namespace has
// nothing but a loopback that is down: no connection leaves it, not even to 127.0.0.1, and DNS
// fails. A mount namespace lets us change what paths show without touching anyone else's view.
// Root may create them directly; anyone else needs a user namespace first, with the uid and gid
// mapped to themselves so files keep their owners. Returns "namespace", "userns" or NULL.
static const char *enter_namespaces(int flags) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(flags) == 0) return "namespace";
    if (unshare(CLONE_NEWUSER | flags) != 0) return NULL;
    char map[64];
    if (write_file("/proc/self/setgroups", "deny") != 0 && errno != ENOENT) die("cannot write /proc/self/setgroups", strerror(errno));
    snprintf(map, sizeof map, "%u %u 1", (unsigned)uid, (unsigned)uid);
    if (write_file("/proc/self/uid_map", map) != 0) die("cannot write /proc/self/uid_map", strerror(errno));
    snprintf(map, sizeof map, "%u %u 1", (unsigned)gid, (unsigned)gid);
    if (write_file("/proc/self/gid_map", map) != 0) die("cannot write /proc/self/gid_map", strerror(errno));
    return "userns";
}

// The flags a remount must keep: inside a user namespace, the kernel refuses to clear nosuid,
// nodev, noexec or the atime flags that the mount had (they are locked), so a plain MS_RDONLY fails.
static unsigned long kept_flags(const char *path) {
    struct statvfs info;
    if (statvfs(path, &info) != 0) die(path, strerror(errno));
    unsigned long flags = 0;
    if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

// In the mount namespace just made: nothing propagates back to the real one, each protected path
// becomes a read-only bind mount of itself (Landlock cannot carve a read-only hole inside a
// writable tree; a mount can), and each hidden directory gets an empty read-only tmpfs on top.
// Protected paths first: a later bind would not carry a tmpfs mounted below it. The command
// cannot undo any of it: Landlock denies mount, umount and remount to a sandboxed process.
static void rearrange_mounts(const char *const *protect, int protectCount, const char *const *hide, int hideCount) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("cannot make the mounts private", strerror(errno));
    for (int i = 0; i < protectCount; i++) {
        if (mount(protect[i], protect[i], NULL, MS_BIND, NULL) != 0) die(protect[i], strerror(errno));
        unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(protect[i]);
        if (mount(NULL, protect[i], NULL, flags, NULL) != 0) die(protect[i], strerror(errno));
    }
    for (int i = 0; i < hideCount; i++) {
        unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        if (mount("tmpfs", hide[i], "tmpfs", flags, "size=4k,nr_inodes=1,mode=0500") != 0) die(hide[i], strerror(errno));
    }
}

// A hidden directory must exist before the mount: else a host started later would make it, and
// put its socket there, in plain sight of a command still running. Same mode as the host uses.
static void make_hidden_directory(const char *path) {
    if (mkdir(path, 0700) == 0 || errno == EEXIST) {
        struct stat info;
        if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) return;
        die(path, "exists and is not a directory");
    }
    die(path, strerror(errno));
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

// Whether a mount namespace can be made and rearranged, tried in a child so this process stays as it was.
static int child_succeeds(int flags, int mounts) {
    pid_t child = fork();
    if (child == 0) {
        if (!enter_namespaces(flags)) _exit(1);
        if (mounts && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) _exit(1);
        _exit(0);
    }
    int status = 0;
    return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int probe(void) {
    int abi = landlock_abi();
    printf("landlock=%d\n", abi);
    const char *network = child_succeeds(CLONE_NEWNET, 0) ? "namespace" : abi >= 4 ? "landlock-tcp" : "none";
    printf("network=%s\n", network);
    printf("mount=%s\n", child_succeeds(CLONE_NEWNS, 1) ? "namespace" : "none");
    return 0;
}

static void add_path(const char **paths, int *count, const char *path, const char *option) {
    if (*count == KC_MAX_PATHS) die("too many paths for", option);
    paths[(*count)++] = path;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--probe") == 0) return probe();

    int readOnly = 0, noNetwork = 0, first = -1;
    const char *writable[KC_MAX_PATHS], *protect[KC_MAX_PATHS], *hide[KC_MAX_PATHS];
    int writableCount = 0, protectCount = 0, hideCount = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { first = i + 1; break; }
        if (strcmp(argv[i], "--read-only") == 0) readOnly = 1;
        else if (strcmp(argv[i], "--no-network") == 0) noNetwork = 1;
        else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc) add_path(writable, &writableCount, argv[++i], "--write");
        else if (strcmp(argv[i], "--protect") == 0 && i + 1 < argc) add_path(protect, &protectCount, argv[++i], "--protect");
        else if (strcmp(argv[i], "--hide") == 0 && i + 1 < argc) add_path(hide, &hideCount, argv[++i], "--hide");
        else die("unknown argument", argv[i]);
    }
    if (first < 0 || first >= argc) die("usage: kode-confine [--read-only] [--no-network] [--write PATH]... [--protect PATH]... [--hide DIR]... -- PROGRAM [ARG]...", NULL);

    int abi = landlock_abi();
    if (abi < 1) die("Landlock is not available in this kernel", strerror(errno));
    // Without it, a set-uid program could gain rights the rules below do not foresee; Landlock requires it too.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)", strerror(errno));
    // Before Landlock: writing the uid map and making the hidden directories are writes outside
    // the allowed paths, and Landlock forbids mounting.
    int mounts = protectCount + hideCount > 0;
    for (int i = 0; i < hideCount; i++) make_hidden_directory(hide[i]);
    const char *isolated = NULL;
    if (mounts) {
        // Asked for only when the probe found it possible: failing now is fatal, never a silent gap.
        isolated = enter_namespaces(CLONE_NEWNS | (noNetwork ? CLONE_NEWNET : 0));
        if (!isolated) die("cannot make a mount namespace to protect and hide paths", strerror(errno));
        rearrange_mounts(protect, protectCount, hide, hideCount);
    } else if (noNetwork) {
        isolated = enter_namespaces(CLONE_NEWNET);
    }
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
        printf("landlock=0\nnetwork=none\nmount=none\n");
        return 0;
    }
    fprintf(stderr, "kode-confine: this system has no Landlock; commands cannot be confined here\n");
    return 125;
}

#endif
