package main

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// maxHead bounds an answer's status line and headers: anything longer is not the extender talking.
const maxHead = 64 * 1024

// answer reads one HTTP/1.1 answer as its bytes arrive, in whatever pieces the socket gives them, and skips its body
// (Content-Length or chunked): the generator needs the status, whether the connection stays open, and where the
// answer ends.
type answer struct {
	state     int
	head      []byte // status line and headers, until the blank line
	line      []byte // a chunk-size or trailer line being read
	remaining int64  // body or chunk bytes (with the chunk's CRLF) still to skip
	status    int
	keepAlive bool
}

const (
	readingHead = iota
	skippingBody
	readingChunkSize
	skippingChunk
	readingTrailers
	complete
)

func (a *answer) reset() {
	*a = answer{head: a.head[:0], line: a.line[:0]}
}

// feed consumes bytes of the answer; done is true once the answer is complete. Bytes past its end are an error: one
// request is in flight per connection, so the server cannot have sent more.
func (a *answer) feed(p []byte) (done bool, err error) {
	for len(p) > 0 {
		switch a.state {
		case readingHead:
			from := len(a.head) - 3
			if from < 0 {
				from = 0
			}
			a.head = append(a.head, p...)
			end := bytes.Index(a.head[from:], []byte("\r\n\r\n"))
			if end < 0 {
				if len(a.head) > maxHead {
					return false, fmt.Errorf("answer headers over %d bytes", maxHead)
				}
				return false, nil
			}
			end += from + 4
			p = a.head[end:]
			if err := a.parseHead(a.head[:end]); err != nil {
				return false, err
			}
		case skippingBody, skippingChunk:
			n := int64(len(p))
			if n > a.remaining {
				n = a.remaining
			}
			a.remaining -= n
			p = p[n:]
			if a.remaining == 0 {
				if a.state == skippingBody {
					a.state = complete
				} else {
					a.state = readingChunkSize
				}
			}
		case readingChunkSize, readingTrailers:
			line, rest, whole := cutLine(&a.line, p)
			p = rest
			if !whole {
				continue
			}
			if a.state == readingTrailers {
				if len(line) == 0 {
					a.state = complete
				}
				continue
			}
			if semicolon := bytes.IndexByte(line, ';'); semicolon >= 0 {
				line = line[:semicolon]
			}
			size, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
			if err != nil || size < 0 {
				return false, fmt.Errorf("bad chunk size %q", line)
			}
			if size == 0 {
				a.state = readingTrailers
			} else {
				a.remaining, a.state = size+2, skippingChunk
			}
		case complete:
			return false, errors.New("bytes after the end of the answer")
		}
	}
	return a.state == complete, nil
}

// cutLine appends p to the pending line up to and including the first '\n'; whole says a line ended, and line is then
// that line without its CRLF.
func cutLine(pending *[]byte, p []byte) (line, rest []byte, whole bool) {
	newline := bytes.IndexByte(p, '\n')
	if newline < 0 {
		*pending = append(*pending, p...)
		return nil, nil, false
	}
	*pending = append(*pending, p[:newline]...)
	line = bytes.TrimRight(*pending, "\r")
	*pending = (*pending)[:0]
	return line, p[newline+1:], true
}

// parseHead reads the status and the headers that say how the body ends and whether the connection stays open.
func (a *answer) parseHead(head []byte) error {
	lines := bytes.Split(head[:len(head)-4], []byte("\r\n"))
	status := lines[0]
	if len(status) < 12 || !bytes.HasPrefix(status, []byte("HTTP/1.")) {
		return fmt.Errorf("not an HTTP/1.x status line: %q", status)
	}
	code, err := strconv.Atoi(string(status[9:12]))
	if err != nil {
		return fmt.Errorf("bad status line %q", status)
	}
	a.status, a.keepAlive = code, true
	length, chunked := int64(-1), false
	for _, header := range lines[1:] {
		colon := bytes.IndexByte(header, ':')
		if colon < 0 {
			continue
		}
		name, value := bytes.ToLower(bytes.TrimSpace(header[:colon])), bytes.TrimSpace(header[colon+1:])
		switch string(name) {
		case "content-length":
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return fmt.Errorf("bad Content-Length %q", value)
			}
		case "transfer-encoding":
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case "connection":
			a.keepAlive = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		a.state = readingChunkSize
	case length > 0:
		a.remaining, a.state = length, skippingBody
	case length == 0 || code == 204 || code == 304:
		a.state = complete
	default:
		return errors.New("answer without Content-Length or chunked encoding")
	}
	return nil
}
