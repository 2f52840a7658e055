package main

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"syscall"
)

// conn is one keep-alive HTTP/1.1 connection on a raw non-blocking socket, driven by the loop's epoll: it writes a
// fixed, pre-encoded request and reads the answer as it arrives. One request is in flight at a time.
type conn struct {
	fd       int  // -1 while closed
	written  int  // bytes of the request written so far
	waitsOut bool // epoll watches for EPOLLOUT: the request did not fit the socket's buffer
	request  int  // index of the request in flight, -1 when idle
	sentAt   int64
	answer   answer
}

// target is where and what to send: the resolved address and the request's bytes.
type target struct {
	addr    syscall.Sockaddr
	family  int
	request []byte
}

func newTarget(o options) (target, error) {
	u, err := url.Parse(o.url)
	if err != nil {
		return target{}, err
	}
	if u.Scheme != "http" {
		return target{}, fmt.Errorf("-url: only http:// is supported, got %q", u.Scheme)
	}
	tcp, err := net.ResolveTCPAddr("tcp", u.Host)
	if err != nil {
		return target{}, err
	}
	t := target{family: syscall.AF_INET}
	if ip4 := tcp.IP.To4(); ip4 != nil {
		a := &syscall.SockaddrInet4{Port: tcp.Port}
		copy(a.Addr[:], ip4)
		t.addr = a
	} else {
		a := &syscall.SockaddrInet6{Port: tcp.Port}
		copy(a.Addr[:], tcp.IP.To16())
		t.addr, t.family = a, syscall.AF_INET6
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\n", o.method, u.RequestURI(), u.Host)
	if o.method == "POST" {
		fmt.Fprintf(&head, "Content-Type: application/json\r\nContent-Length: %d\r\n", len(o.body))
	}
	if o.gzip {
		head.WriteString("Accept-Encoding: gzip\r\n")
	}
	head.WriteString("\r\n")
	head.Write(o.body)
	t.request = head.Bytes()
	return t, nil
}

// dial connects (blocking: loopback connects at once), then makes the socket non-blocking with Nagle off, as
// kube-scheduler's Go client has it.
func dial(t target) (int, error) {
	fd, err := syscall.Socket(t.family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if err = syscall.Connect(fd, t.addr); err == nil {
		err = syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
	}
	if err == nil {
		err = syscall.SetNonblock(fd, true)
	}
	if err != nil {
		syscall.Close(fd)
		return -1, err
	}
	return fd, nil
}

// write sends what is left of the request; finished is false when the socket's buffer is full (wait for EPOLLOUT).
func (c *conn) write(request []byte) (finished bool, err error) {
	for c.written < len(request) {
		n, err := syscall.Write(c.fd, request[c.written:])
		if err == syscall.EAGAIN {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		c.written += n
	}
	return true, nil
}

// read takes what the socket has into buf and feeds it to the answer; done is true once the answer is complete.
func (c *conn) read(buf []byte) (done bool, err error) {
	for {
		n, err := syscall.Read(c.fd, buf)
		if err == syscall.EAGAIN {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if n == 0 {
			return false, fmt.Errorf("connection closed by the server before the answer ended")
		}
		if done, err = c.answer.feed(buf[:n]); done || err != nil {
			return done, err
		}
	}
}

func (c *conn) close() {
	if c.fd >= 0 {
		syscall.Close(c.fd)
		c.fd, c.waitsOut = -1, false
	}
}
