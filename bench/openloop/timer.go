package main

import (
	"syscall"
	"unsafe"
)

// timer is a Linux timerfd: it wakes the loop's epoll_wait at a nanosecond deadline. Go's own timers cannot do that
// here: Go 1.19 (Debian's) sleeps in epoll_wait with a millisecond timeout, so a 60-200 µs sleep lasted about 1.1 ms,
// and the requests due in between left in one burst, late, with the generator's delay counted as the server's.
type timer struct {
	fd       int
	deadline int64 // when it is set to fire, on the loop's clock; -1 when not armed
}

const (
	clockMonotonic = 1
	tfdNonblock    = syscall.O_NONBLOCK
	tfdCloexec     = syscall.O_CLOEXEC
)

type itimerspec struct {
	interval syscall.Timespec
	value    syscall.Timespec
}

func newTimer() (*timer, error) {
	fd, _, errno := syscall.Syscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic, tfdNonblock|tfdCloexec, 0)
	if errno != 0 {
		return nil, errno
	}
	return &timer{fd: int(fd), deadline: -1}, nil
}

// fireAt arms the timer to expire once at deadline (now < deadline, both on the loop's clock), unless it already is.
func (t *timer) fireAt(deadline, now int64) error {
	if deadline == t.deadline {
		return nil
	}
	t.deadline = deadline
	spec := itimerspec{value: syscall.NsecToTimespec(deadline - now)}
	_, _, errno := syscall.Syscall6(syscall.SYS_TIMERFD_SETTIME, uintptr(t.fd), 0, uintptr(unsafe.Pointer(&spec)), 0, 0,
		0)
	if errno != 0 {
		return errno
	}
	return nil
}

// drain reads the expiry count so the level-triggered epoll stops reporting the timer.
func (t *timer) drain() {
	t.deadline = -1
	var expirations [8]byte
	_, _ = syscall.Read(t.fd, expirations[:])
}

func (t *timer) close() {
	syscall.Close(t.fd)
}
