// Command noop is the floor of bench/extender.sh's open-loop runs: a plain Go net/http server whose every answer is a
// fixed 15-byte JSON object. What openloop measures against it at a given rate is what this machine, its scheduler
// and the generator cost, with no server work at all.
//
// Usage: noop -listen 127.0.0.1:18999
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18999", "address to serve on")
	flag.Parse()
	answer := []byte(`{"status":"ok"}`)
	err := http.ListenAndServe(*listen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	fmt.Fprintln(os.Stderr, "noop:", err)
	os.Exit(1)
}
