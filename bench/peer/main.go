// Command peer is the Go peer of bench/extender.sh: the extender's /filter in NodeNames mode written the plain way,
// net/http and encoding/json, with the node set loaded once at start. The benchmark runs it beside the Java extender,
// alternated, so every /filter row has its Go figure from the same minutes on the same cores. It is also the
// protocol's floor in bench/scheduler.sh: with -noop it answers every node it is asked about and decides nothing.
//
// Usage: peer -listen 127.0.0.1:18889 -nodes nodes.json [-gzip-min-bytes 8192] [-noop]
//
// Prints "LISTENING <address>" on stdout once it accepts connections.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
)

// bodyLimit is the sidecar's EXTENDER_BODYLIMITBYTES: a NodeNames request of 5,000 names is about 70 KB.
const bodyLimit = 4 << 20

// extenderArgs is kube-scheduler's ExtenderArgs; the peer serves NodeNames mode only (nodeCacheCapable).
type extenderArgs struct {
	Pod       *pod
	Nodes     json.RawMessage
	NodeNames *[]string
}

func main() {
	listen := flag.String("listen", "127.0.0.1:18889", "address to serve on (port 0 picks a free one)")
	nodes := flag.String("nodes", "", "NodeList JSON file: the dedicated nodes to cache (required without -noop)")
	gzipMin := flag.Int("gzip-min-bytes", 8192, "gzip answers at least this large when the client accepts gzip")
	noop := flag.Bool("noop", false, "pass every node without deciding anything (the protocol's floor)")
	flag.Parse()
	cache := map[string]facts{}
	if !*noop {
		if *nodes == "" {
			fail("-nodes is required without -noop")
		}
		var err error
		if cache, err = loadCache(*nodes); err != nil {
			fail(err.Error())
		}
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		fail(err.Error())
	}
	fmt.Printf("LISTENING %s (%d dedicated nodes cached)\n", listener.Addr(), len(cache))
	mux := http.NewServeMux()
	mux.HandleFunc("/scheduler/filter", func(w http.ResponseWriter, r *http.Request) {
		serveFilter(w, r, cache, *noop, *gzipMin)
	})
	mux.HandleFunc("/livez", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	fail(http.Serve(listener, mux).Error())
}

func serveFilter(w http.ResponseWriter, r *http.Request, cache map[string]facts, noop bool, gzipMin int) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, bodyLimit))
	if err != nil {
		answer(w, r, http.StatusRequestEntityTooLarge, filterResult{Error: err.Error()}, gzipMin)
		return
	}
	var args extenderArgs
	if err := json.Unmarshal(body, &args); err != nil {
		answer(w, r, http.StatusBadRequest, filterResult{Error: "request body: " + err.Error()}, gzipMin)
		return
	}
	switch {
	case args.NodeNames == nil:
		answer(w, r, http.StatusBadRequest, filterResult{Error: "NodeNames: required (the peer serves NodeNames mode)"},
			gzipMin)
	case noop:
		answer(w, r, http.StatusOK, filterResult{NodeNames: *args.NodeNames}, gzipMin)
	case args.Pod == nil:
		answer(w, r, http.StatusBadRequest, filterResult{Error: "Pod: required (got null or nothing)"}, gzipMin)
	default:
		answer(w, r, http.StatusOK, filter(args.Pod, *args.NodeNames, cache), gzipMin)
	}
}

// gzipWriters are reused: a new flate writer allocates about a megabyte of state (the Java extender pools its
// Deflaters for the same reason).
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// answer writes the result as JSON, gzipped as the Java extender does: when the client accepts it and the answer is
// at least gzipMin bytes.
func answer(w http.ResponseWriter, r *http.Request, status int, result filterResult, gzipMin int) {
	encoded, err := json.Marshal(result)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if len(encoded) < gzipMin || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.WriteHeader(status)
		_, _ = w.Write(encoded)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(w)
	_, _ = zw.Write(encoded)
	_ = zw.Close()
	gzipWriters.Put(zw)
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "peer:", message)
	os.Exit(1)
}
