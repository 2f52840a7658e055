package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// conn is one keep-alive HTTP/1.1 connection that sends a fixed, pre-encoded request and skips the answer's body.
// net/http allocates a request, a header map and a response per call: at 10,000+ requests per second that costs
// the generator a core the extender shares; here a request is one write of prepared bytes and one buffered read.
type conn struct {
	addr    string
	request []byte
	timeout time.Duration
	c       net.Conn
	r       *bufio.Reader
}

func newConn(o options) (*conn, error) {
	u, err := url.Parse(o.url)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("-url: only http:// is supported, got %q", u.Scheme)
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n",
		u.RequestURI(), u.Host, len(o.body))
	if o.gzip {
		head.WriteString("Accept-Encoding: gzip\r\n")
	}
	head.WriteString("\r\n")
	head.Write(o.body)
	return &conn{addr: u.Host, request: head.Bytes(), timeout: o.timeout}, nil
}

// do sends the request once and reads the whole answer; any error or a non-2xx status is a failure, after which the
// connection is replaced by a new one on the next call.
func (k *conn) do() error {
	if k.c == nil {
		c, err := net.DialTimeout("tcp", k.addr, k.timeout)
		if err != nil {
			return err
		}
		k.c, k.r = c, bufio.NewReaderSize(c, 64*1024)
	}
	status, keepAlive, err := k.exchange()
	if err != nil || !keepAlive {
		k.c.Close()
		k.c = nil
	}
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("HTTP %d", status)
	}
	return nil
}

func (k *conn) exchange() (status int, keepAlive bool, err error) {
	if err = k.c.SetDeadline(time.Now().Add(k.timeout)); err != nil {
		return 0, false, err
	}
	if _, err = k.c.Write(k.request); err != nil {
		return 0, false, err
	}
	line, err := k.r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("not an HTTP/1.x status line: %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, err
	}
	length, chunked, keepAlive := -1, false, true
	for {
		if line, err = k.r.ReadSlice('\n'); err != nil {
			return 0, false, err
		}
		header := bytes.TrimRight(line, "\r\n")
		if len(header) == 0 {
			break
		}
		colon := bytes.IndexByte(header, ':')
		if colon < 0 {
			continue
		}
		name, value := bytes.ToLower(header[:colon]), bytes.TrimSpace(header[colon+1:])
		switch string(name) {
		case "content-length":
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, err
			}
		case "transfer-encoding":
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case "connection":
			keepAlive = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		err = k.skipChunks()
	case length >= 0:
		_, err = k.r.Discard(length)
	default:
		err = errors.New("answer without Content-Length or chunked encoding")
	}
	return status, keepAlive, err
}

func (k *conn) skipChunks() error {
	for {
		line, err := k.r.ReadSlice('\n')
		if err != nil {
			return err
		}
		sizeText := bytes.TrimRight(line, "\r\n")
		if semicolon := bytes.IndexByte(sizeText, ';'); semicolon >= 0 {
			sizeText = sizeText[:semicolon]
		}
		size, err := strconv.ParseInt(string(sizeText), 16, 64)
		if err != nil {
			return err
		}
		if size == 0 {
			for { // trailers, then the empty line
				if line, err = k.r.ReadSlice('\n'); err != nil || len(bytes.TrimRight(line, "\r\n")) == 0 {
					return err
				}
			}
		}
		if _, err = k.r.Discard(int(size) + 2); err != nil {
			return err
		}
	}
}
