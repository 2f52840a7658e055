// Command openloop posts one request body to one URL (or GETs it, for a floor) at a constant rate and reports the latency of every request
// measured from the moment it was scheduled to be sent, not from when a connection was free to send it.
//
// wrk is closed-loop: each connection sends its next request only after the previous answer, so when the server
// stalls, wrk stalls too and the requests that should have been sent during the stall are never measured
// ("coordinated omission"). Here request i is due at start + i/rate whatever happens; it goes out on the first idle
// connection of a fixed pool of keep-alive connections; a request that waits for one has that wait in its latency.
// The whole generator is one thread around epoll and a timerfd (loop.go), so its own delay stays small, and it is
// measured: "late" is how long after its due time the generator noticed a request was due (its error, not the
// server's, though it is in the latency too).
//
// Usage: openloop -url URL -body FILE -rate N [-duration 20s] [-warmup 3s] [-connections 16] [-gzip]
//
//	openloop -method GET -url URL -rate N [...]
//
// Prints a human-readable summary on stderr and one machine-readable line on stdout:
//
//	RESULT target=600 achieved=599.9 requests=12000 errors=0 p50=0.812 p90=1.31 p99=3.02 p999=6.40 max=9.81 late_p99=0.021 late_max=0.3
//
// (latencies in milliseconds). Linux only (epoll, timerfd). Exit status 1 when the first answer is not a 200 JSON object without an "Error",
// 2 on bad flags.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"time"
)

type options struct {
	method      string
	url         string
	body        []byte
	rate        float64
	duration    time.Duration
	warmup      time.Duration
	connections int
	gzip        bool
	timeout     time.Duration
}

func main() {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "openloop:", err)
		os.Exit(2)
	}
	client := newClient(opts)
	if err := checkAnswer(client, opts); err != nil {
		fmt.Fprintln(os.Stderr, "openloop: the first answer is not a good one:", err)
		os.Exit(1)
	}
	if opts.warmup > 0 {
		if _, _, err := run(opts, opts.warmup); err != nil {
			fmt.Fprintln(os.Stderr, "openloop:", err)
			os.Exit(1)
		}
	}
	samples, elapsed, err := run(opts, opts.duration)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openloop:", err)
		os.Exit(1)
	}
	s := summarize(samples, elapsed)
	fmt.Fprintf(os.Stderr, "target %.0f req/s for %s over %d connections: %.1f req/s achieved, %d requests, %d errors;"+
		" latency from the scheduled send time (ms): p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f;"+
		" the generator noticed requests due late by p99 %.3f max %.3f\n",
		opts.rate, opts.duration, opts.connections, s.achieved, s.requests, s.errors, s.p50, s.p90, s.p99, s.p999, s.max,
		s.lateP99, s.lateMax)
	fmt.Printf("RESULT target=%.0f achieved=%.1f requests=%d errors=%d p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f"+
		" late_p99=%.3f late_max=%.3f\n",
		opts.rate, s.achieved, s.requests, s.errors, s.p50, s.p90, s.p99, s.p999, s.max, s.lateP99, s.lateMax)
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("openloop", flag.ContinueOnError)
	var o options
	var bodyFile string
	fs.StringVar(&o.url, "url", "", "URL to POST to (required)")
	fs.StringVar(&o.method, "method", "POST", "POST (with -body) or GET (no body)")
	fs.StringVar(&bodyFile, "body", "", "file holding the JSON request body (required with POST)")
	fs.Float64Var(&o.rate, "rate", 0, "requests per second to schedule (required, > 0)")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "measured run length")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured run at the same rate before the measured one")
	fs.IntVar(&o.connections, "connections", 16, "keep-alive connections (requests in flight at most)")
	fs.BoolVar(&o.gzip, "gzip", true, "send Accept-Encoding: gzip, as kube-scheduler's Go client does")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Second, "per-request timeout (kube-scheduler's extender httpTimeout)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.url == "":
		return o, errors.New("-url is required")
	case o.method != http.MethodPost && o.method != http.MethodGet:
		return o, fmt.Errorf("-method must be POST or GET, got %q", o.method)
	case o.method == http.MethodPost && bodyFile == "":
		return o, errors.New("-body is required with POST")
	case o.method == http.MethodGet && bodyFile != "":
		return o, errors.New("-body goes with POST, not GET")
	case o.rate <= 0:
		return o, fmt.Errorf("-rate must be > 0, got %v", o.rate)
	case o.connections < 1:
		return o, fmt.Errorf("-connections must be >= 1, got %d", o.connections)
	case o.duration <= 0:
		return o, fmt.Errorf("-duration must be > 0, got %s", o.duration)
	}
	if bodyFile != "" {
		body, err := os.ReadFile(bodyFile)
		if err != nil {
			return o, fmt.Errorf("-body: %w", err)
		}
		o.body = body
	}
	return o, nil
}

func newClient(o options) *http.Client {
	transport := &http.Transport{
		MaxConnsPerHost:     o.connections,
		MaxIdleConnsPerHost: o.connections,
		// We set Accept-Encoding ourselves and read the compressed bytes as they come, like a client that
		// decompresses lazily; decompressing every answer would spend the shared cores on the generator.
		DisableCompression: true,
		ForceAttemptHTTP2:  false,
	}
	return &http.Client{Transport: transport, Timeout: o.timeout}
}

// post sends the request once through net/http (for the one fully decoded answer); the caller closes the body.
func post(client *http.Client, o options) (*http.Response, error) {
	req, err := http.NewRequestWithContext(context.Background(), o.method, o.url, bytes.NewReader(o.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if o.gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	return client.Do(req)
}

// checkAnswer sends one request and decodes its answer fully, so a run against a broken server fails loudly instead
// of measuring how fast it answers errors.
func checkAnswer(client *http.Client, o options) error {
	resp, err := post(client, o)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gzip.NewReader(resp.Body); err != nil {
			return err
		}
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	var answer map[string]json.RawMessage
	if err := json.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if e, ok := answer["Error"]; ok && string(e) != `""` && string(e) != "null" {
		return fmt.Errorf("Error %s", e)
	}
	return nil
}

type summary struct {
	requests, errors         int
	achieved                 float64
	p50, p90, p99, p999, max float64
	lateP99, lateMax         float64
}

// summarize computes exact percentiles (nearest rank) over every sample, failed ones included: a timeout is a
// latency too.
func summarize(samples []sample, elapsed time.Duration) summary {
	s := summary{requests: len(samples)}
	if len(samples) == 0 {
		return s
	}
	latencies := make([]time.Duration, len(samples))
	lateness := make([]time.Duration, len(samples))
	for i, sm := range samples {
		latencies[i], lateness[i] = sm.latency, sm.late
		if sm.failed {
			s.errors++
		}
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	sort.Slice(lateness, func(i, j int) bool { return lateness[i] < lateness[j] })
	s.lateP99, s.lateMax = percentile(lateness, 99), ms(lateness[len(lateness)-1])
	s.achieved = float64(len(samples)-s.errors) / elapsed.Seconds()
	s.p50 = percentile(latencies, 50)
	s.p90 = percentile(latencies, 90)
	s.p99 = percentile(latencies, 99)
	s.p999 = percentile(latencies, 99.9)
	s.max = ms(latencies[len(latencies)-1])
	return s
}

// percentile is the nearest-rank percentile of sorted latencies, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return ms(sorted[rank])
}

func ms(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
