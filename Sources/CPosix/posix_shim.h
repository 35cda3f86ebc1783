// POSIX/Linux calls Swift's Glibc module hides (they need _GNU_SOURCE), declared directly.
#ifndef ORCH_CPOSIX_SHIM_H
#define ORCH_CPOSIX_SHIM_H

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>

extern int pipe2(int pipefd[2], int flags);

/// A pipe whose two ends close on exec, created atomically so no child inherits them.
static inline int orch_pipe_cloexec(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
}

#endif
