package main

import (
	"runtime"
	"syscall"
	"time"
)

// sample is one request: latency from its scheduled send time to the end of its answer, how late the generator itself
// noticed it was due (its own error, reported apart), and whether it failed.
type sample struct {
	latency time.Duration
	late    time.Duration
	failed  bool
}

// loop is the whole generator on one locked OS thread: one epoll set holding a timerfd for the schedule and every
// connection's socket. Request i is due at start + i/rate whatever happens; it goes out on the first idle connection,
// so a request that waits for one has that wait in its latency. One thread and no Go scheduler in the path keep the
// generator's own cost and delay small: it shares the 2 cores with the server it measures.
type loop struct {
	target   target
	timeout  int64
	interval float64
	epfd     int
	timer    *timer
	conns    []conn
	idle     []int // connections with no request in flight
	queue    []int // requests due and waiting for an idle connection, oldest first
	samples  []sample
	buf      []byte
	start    time.Time
}

const timerEvent = -1 // the epoll data of the timer; connections use their index

// run sends rate*length requests on schedule and returns one sample per request, with the wall time from the first
// scheduled send to the last answer.
func run(o options, length time.Duration) ([]sample, time.Duration, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	l, err := newLoop(o, int(o.rate*length.Seconds()))
	if err != nil {
		return nil, 0, err
	}
	defer l.close()
	err = l.run()
	return l.samples, time.Since(l.start), err
}

func newLoop(o options, total int) (*loop, error) {
	t, err := newTarget(o)
	if err != nil {
		return nil, err
	}
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	l := &loop{target: t, timeout: int64(o.timeout), interval: float64(time.Second) / o.rate, epfd: epfd,
		conns: make([]conn, o.connections), samples: make([]sample, total), buf: make([]byte, 256*1024)}
	for i := range l.conns {
		l.conns[i] = conn{fd: -1, request: -1}
		l.idle = append(l.idle, i)
	}
	if l.timer, err = newTimer(); err == nil {
		err = l.watch(syscall.EPOLL_CTL_ADD, l.timer.fd, timerEvent, syscall.EPOLLIN)
	}
	if err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

func (l *loop) run() error {
	events := make([]syscall.EpollEvent, len(l.conns)+1)
	next := 0
	l.start = time.Now()
	for {
		now := l.now()
		for next < len(l.samples) && l.dueAt(next) <= now {
			l.samples[next].late = time.Duration(now - l.dueAt(next))
			l.queue = append(l.queue, next)
			next++
		}
		l.dispatch(now)
		l.expire(now)
		if next == len(l.samples) && len(l.queue) == 0 && l.busy() == 0 {
			return nil
		}
		if next < len(l.samples) {
			if err := l.timer.fireAt(l.dueAt(next), now); err != nil {
				return err
			}
		}
		wait := -1
		if l.busy() > 0 {
			wait = 100 // ms: often enough to enforce the timeout of a request that gets no answer
		}
		n, err := syscall.EpollWait(l.epfd, events, wait)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		now = l.now()
		for _, event := range events[:n] {
			if event.Fd == timerEvent {
				l.timer.drain()
			} else {
				l.service(int(event.Fd), event.Events, now)
			}
		}
	}
}

func (l *loop) now() int64 {
	return int64(time.Since(l.start))
}

// busy is the number of connections with a request in flight.
func (l *loop) busy() int {
	return len(l.conns) - len(l.idle)
}

func (l *loop) dueAt(request int) int64 {
	return int64(float64(request) * l.interval)
}

// dispatch sends the waiting requests, oldest first, on idle connections, dialling those that are closed.
func (l *loop) dispatch(now int64) {
	for len(l.queue) > 0 && len(l.idle) > 0 {
		request := l.queue[0]
		l.queue = l.queue[1:]
		index := l.idle[len(l.idle)-1]
		l.idle = l.idle[:len(l.idle)-1]
		c := &l.conns[index]
		c.request, c.sentAt, c.written = request, now, 0
		c.answer.reset()
		if c.fd < 0 {
			fd, err := dial(l.target)
			if err == nil {
				if err = l.watch(syscall.EPOLL_CTL_ADD, fd, index, syscall.EPOLLIN|syscall.EPOLLRDHUP); err != nil {
					syscall.Close(fd)
				}
			}
			if err != nil {
				l.finish(index, now, true)
				continue
			}
			c.fd = fd
		}
		l.send(index, now)
	}
}

// send writes what the socket takes of the request; epoll watches for EPOLLOUT while some of it is left. False when
// the request failed.
func (l *loop) send(index int, now int64) bool {
	c := &l.conns[index]
	finished, err := c.write(l.target.request)
	if err == nil && finished == c.waitsOut {
		events := uint32(syscall.EPOLLIN | syscall.EPOLLRDHUP)
		if !finished {
			events |= syscall.EPOLLOUT
		}
		err = l.watch(syscall.EPOLL_CTL_MOD, c.fd, index, events)
		c.waitsOut = !finished
	}
	if err != nil {
		l.finish(index, now, true)
		return false
	}
	return true
}

// service handles a connection's epoll event: more of the request to write, or answer bytes to read.
func (l *loop) service(index int, events uint32, now int64) {
	c := &l.conns[index]
	if c.request < 0 {
		c.close() // the server closed an idle keep-alive connection (or sent what nobody asked for)
		return
	}
	if events&syscall.EPOLLOUT != 0 && !l.send(index, now) {
		return
	}
	if events&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) == 0 {
		return
	}
	done, err := c.read(l.buf)
	switch {
	case err != nil:
		l.finish(index, now, true)
	case done:
		// An answer before the whole request was written (a 413, say) leaves the connection unusable.
		if !c.answer.keepAlive || c.written < len(l.target.request) {
			c.close()
		}
		l.finish(index, now, c.answer.status/100 != 2)
	}
}

// expire fails the requests that have waited longer than the timeout for their answer, and drops their connections.
func (l *loop) expire(now int64) {
	for index := range l.conns {
		if c := &l.conns[index]; c.request >= 0 && now-c.sentAt > l.timeout {
			l.finish(index, now, true)
		}
	}
}

// finish records the connection's request as answered (or failed: its connection is closed) and frees the connection.
func (l *loop) finish(index int, now int64, failed bool) {
	c := &l.conns[index]
	s := &l.samples[c.request]
	s.latency, s.failed = time.Duration(now-l.dueAt(c.request)), failed
	if failed {
		c.close()
	}
	c.request = -1
	l.idle = append(l.idle, index)
}

func (l *loop) watch(op, fd, data int, events uint32) error {
	return syscall.EpollCtl(l.epfd, op, fd, &syscall.EpollEvent{Events: events, Fd: int32(data)})
}

func (l *loop) close() {
	for i := range l.conns {
		l.conns[i].close()
	}
	if l.timer != nil {
		l.timer.close()
	}
	syscall.Close(l.epfd)
}
