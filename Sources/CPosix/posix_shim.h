// POSIX/Linux calls Swift's Glibc module hides (they need _GNU_SOURCE), declared directly.
#ifndef ORCH_CPOSIX_SHIM_H
#define ORCH_CPOSIX_SHIM_H

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

extern int pipe2(int pipefd[2], int flags);

/// A pipe whose two ends close on exec, created atomically so no child inherits them.
static inline int orch_pipe_cloexec(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
}

/// Closes every descriptor from `lowest` up in a posix_spawn child (glibc 2.34+): a descriptor
/// someone else opened without close-on-exec (Foundation's `Pipe` does) must not live on in a
/// child — least of all in a tmux server, which keeps what it inherits as long as it runs.
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int lowest);

static inline int orch_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

/// Bytes waiting in a terminal's input queue, not yet read by its program (`FIONREAD`; ioctl
/// is variadic, which Swift cannot call). -1 on error.
static inline int orch_unread_bytes(int fd) {
    int count = 0;
    return ioctl(fd, FIONREAD, &count) == 0 ? count : -1;
}

#endif
