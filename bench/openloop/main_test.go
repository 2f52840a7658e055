package main

import (
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
	samples, _ := run(o, time.Second)
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
	samples, elapsed := run(o, 200*time.Millisecond)
	if s := summarize(samples, elapsed); s.errors != 20 || s.achieved != 0 {
		t.Errorf("errors %d achieved %.1f, want 20 errors and 0 req/s", s.errors, s.achieved)
	}
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
	samples, elapsed := run(o, 300*time.Millisecond)
	if s := summarize(samples, elapsed); s.requests != 30 || s.errors != 0 {
		t.Errorf("%d requests, %d errors, want 30 and 0", s.requests, s.errors)
	}
	if connections != 1 {
		t.Errorf("%d connections, want 1 kept alive", connections)
	}
}
