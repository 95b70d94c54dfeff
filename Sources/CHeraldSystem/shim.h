// Linux facilities Glibc's Swift module does not export: a wall-clock timer that notices when
// the clock is set (TFD_TIMER_CANCEL_ON_SET), and an eventfd to interrupt a wait on it.
#ifndef HERALD_SYSTEM_SHIM_H
#define HERALD_SYSTEM_SHIM_H
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/// A CLOCK_REALTIME timerfd, close-on-exec.
static inline int herald_realtime_timer(void) { return timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC); }

/// Arms `fd` to fire at the absolute wall-clock time (seconds, nanoseconds), and to fail the next
/// read with ECANCELED if the wall clock is set discontinuously before then.
static inline int herald_arm_timer(int fd, int64_t seconds, long nanoseconds) {
    struct itimerspec spec = {{0, 0}, {(time_t)seconds, nanoseconds}};
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL);
}

/// An eventfd, close-on-exec.
static inline int herald_eventfd(void) { return eventfd(0, EFD_CLOEXEC); }

/// Waits for the timer or the eventfd. Returns 0 when the time was reached, 1 when the clock was
/// set, 2 when the eventfd was signalled, -1 on error (errno set).
static inline int herald_wait_timer(int timer, int wake) {
    struct pollfd fds[2] = {{timer, POLLIN, 0}, {wake, POLLIN, 0}};
    for (;;) {
        int n = poll(fds, 2, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (fds[1].revents & POLLIN) return 2;
        if (fds[0].revents & POLLIN) {
            uint64_t expirations = 0;
            ssize_t r = read(timer, &expirations, sizeof expirations);
            if (r < 0 && errno == ECANCELED) return 1;
            if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            return r < 0 ? -1 : 0;
        }
    }
}

/// Signals an eventfd.
static inline void herald_signal_eventfd(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof one);
    (void)ignored;
}
#endif
