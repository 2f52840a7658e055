package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	sorted := make([]time.Duration, 1000)
	for i := range sorted {
		sorted[i] = time.Duration(i+1) * time.Millisecond
	}
	for p, want := range map[float64]float64{50: 500, 99: 990, 99.9: 999, 100: 1000} {
		if got := percentile(sorted, p); got != want {
			t.Errorf("p%v = %v ms, want %v", p, got, want)
		}
	}
}

// A server that stalls once must show in the latencies of the requests scheduled during the stall, although a
// closed-loop client would not have sent them: that is what measuring from the scheduled time buys.
func TestAStallDelaysTheRequestsScheduledDuringIt(t *testing.T) {
	var calls int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if atomic.AddInt32(&calls, 1) == 20 {
			time.Sleep(200 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Error":""}`))
	}))
	defer server.Close()
	o := testOptions(t, server.URL, 200)
	samples, _ := mustRun(t, o, time.Second)
	if len(samples) != 200 {
		t.Fatalf("%d samples, want 200", len(samples))
	}
	s := summarize(samples, time.Second)
	// The stall covers 40 scheduled sends (200 ms at 5 ms intervals): well over 10% of the run waits > 20 ms.
	if s.p90 < 20 {
		t.Errorf("p90 %.3f ms hides the 200 ms stall", s.p90)
	}
	if s.max < 190 {
		t.Errorf("max %.3f ms, want about 200 ms", s.max)
	}
	if s.errors != 0 {
		t.Errorf("%d errors", s.errors)
	}
}

func TestErrorsAreCountedAndTheFirstAnswerIsChecked(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Error":"not ready"}`, http.StatusServiceUnavailable)
	}))
	defer server.Close()
	o := testOptions(t, server.URL, 100)
	if err := checkAnswer(newClient(o), o); err == nil {
		t.Error("a 503 passed the answer check")
	}
	samples, elapsed := mustRun(t, o, 200*time.Millisecond)
	if s := summarize(samples, elapsed); s.errors != 20 || s.achieved != 0 {
		t.Errorf("errors %d achieved %.1f, want 20 errors and 0 req/s", s.errors, s.achieved)
	}
}

func mustRun(t *testing.T, o options, length time.Duration) ([]sample, time.Duration) {
	samples, elapsed, err := run(o, length)
	if err != nil {
		t.Fatal(err)
	}
	return samples, elapsed
}

func testOptions(t *testing.T, url string, rate float64) options {
	body := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(body, []byte(`{"Pod":null}`), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := parseFlags([]string{"-url", url, "-body", body, "-rate", "1", "-connections", "1", "-gzip=false"})
	if err != nil {
		t.Fatal(err)
	}
	o.rate = rate
	return o
}

func TestChunkedAnswersAreReadWholeOnOneConnection(t *testing.T) {
	var connections int32
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 3; i++ {
			_, _ = w.Write([]byte(`{"Error":""}`))
			w.(http.Flusher).Flush() // forces Transfer-Encoding: chunked
		}
	}))
	server.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			atomic.AddInt32(&connections, 1)
		}
	}
	server.Start()
	defer server.Close()
	o := testOptions(t, server.URL, 100)
	samples, elapsed := mustRun(t, o, 300*time.Millisecond)
	if s := summarize(samples, elapsed); s.requests != 30 || s.errors != 0 {
		t.Errorf("%d requests, %d errors, want 30 and 0", s.requests, s.errors)
	}
	if connections != 1 {
		t.Errorf("%d connections, want 1 kept alive", connections)
	}
}

// The socket gives an answer in whatever pieces it likes: fed one byte at a time, or all at once, the same answers end
// at the same places.
func TestAnswersAreReadWhateverPiecesTheyArriveIn(t *testing.T) {
	answers := map[string]struct {
		text      string
		status    int
		keepAlive bool
	}{
		"length":  {"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: application/json\r\n\r\n{\"Error\":\"\"}", 200, true},
		"chunked": {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\n{\"Err\r\n7\r\nor\":\"\"}\r\n0\r\nTrailer: 1\r\n\r\n", 200, true},
		"close":   {"HTTP/1.1 503 Service Unavailable\r\nconnection: Close\r\ncontent-length: 2\r\n\r\n{}", 503, false},
		"empty":   {"HTTP/1.1 204 No Content\r\n\r\n", 204, true},
	}
	for name, want := range answers {
		for _, piece := range []int{1, 2, 7, len(want.text)} {
			var a answer
			text := []byte(want.text)
			done := false
			for len(text) > 0 {
				n := piece
				if n > len(text) {
					n = len(text)
				}
				var err error
				if done, err = a.feed(text[:n]); err != nil {
					t.Fatalf("%s in pieces of %d: %v", name, piece, err)
				}
				if done && n < len(text) {
					t.Fatalf("%s in pieces of %d: done with %d bytes left", name, piece, len(text)-n)
				}
				text = text[n:]
			}
			if !done || a.status != want.status || a.keepAlive != want.keepAlive {
				t.Errorf("%s in pieces of %d: done %v status %d keep-alive %v", name, piece, done, a.status, a.keepAlive)
			}
		}
	}
}

func TestAnswersThatCannotBeDelimitedAreErrors(t *testing.T) {
	for _, text := range []string{
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
		"SSH-2.0-OpenSSH_9.2\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{}",
	} {
		var a answer
		if _, err := a.feed([]byte(text)); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
}

// A body larger than the socket's buffer goes out in several writes, each when epoll says the socket is writable.
func TestABodyLargerThanTheSocketBufferIsSentWhole(t *testing.T) {
	var received int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond) // the client's socket buffer fills meanwhile
		n, _ := io.Copy(io.Discard, r.Body)
		atomic.AddInt64(&received, n)
		_, _ = w.Write([]byte(`{"Error":""}`))
	}))
	defer server.Close()
	o := testOptions(t, server.URL, 20)
	o.body = bytes.Repeat([]byte("x"), 64<<20)
	o.timeout = 2 * time.Second
	samples, elapsed := mustRun(t, o, 200*time.Millisecond)
	if s := summarize(samples, elapsed); s.requests != 4 || s.errors != 0 {
		t.Errorf("%d requests, %d errors, want 4 and 0", s.requests, s.errors)
	}
	if received != 4*64<<20 {
		t.Errorf("the server received %d bytes, want %d", received, 4*64<<20)
	}
}
