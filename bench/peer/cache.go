package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// The labels that make a node one of ours, as the Java extender's three node informers select them, and the taint.
const (
	verifiedLabel = "node-restriction.kubernetes.io/maroonedpods-pod-uid"
	selfLabel     = "maroonedpods.io/pod-uid"
	poolLabel     = "maroonedpods.io/pool"
	dedicatedKey  = "maroonedpods.io/dedicated"
	nodePrefix    = "maroon-"
)

// facts is what the filter needs of a cached dedicated node (the Java extender's NodeFacts).
type facts struct {
	name          string
	verifiedUID   string
	selfUID       string
	pool          bool
	tainted       bool
	ready         bool
	unschedulable bool
	deleting      bool
}

// apiNode is the part of a Kubernetes Node the facts come from; encoding/json matches the JSON names
// case-insensitively and skips everything else.
type apiNode struct {
	Metadata struct {
		Name              string
		Labels            map[string]string
		DeletionTimestamp *string
	}
	Spec struct {
		Unschedulable bool
		Taints        []struct{ Key string }
	}
	Status struct {
		Conditions []struct{ Type, Status string }
	}
}

// loadCache reads a NodeList (what `kubectl get nodes -o json` prints) and keeps the nodes the Java extender's
// informers would cache: those carrying the verified, the self or the pool label. Loaded once at start: the peer
// has no informer, the benchmark's node set does not change.
func loadCache(path string) (map[string]facts, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list struct{ Items []apiNode }
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%s: not a NodeList: %w", path, err)
	}
	cache := make(map[string]facts)
	for _, n := range list.Items {
		labels := n.Metadata.Labels
		_, verified := labels[verifiedLabel]
		_, self := labels[selfLabel]
		_, pool := labels[poolLabel]
		if verified || self || pool {
			cache[n.Metadata.Name] = factsOf(n)
		}
	}
	return cache, nil
}

func factsOf(n apiNode) facts {
	f := facts{
		name:          n.Metadata.Name,
		verifiedUID:   n.Metadata.Labels[verifiedLabel],
		selfUID:       n.Metadata.Labels[selfLabel],
		pool:          n.Metadata.Labels[poolLabel] == "true",
		unschedulable: n.Spec.Unschedulable,
		deleting:      n.Metadata.DeletionTimestamp != nil,
	}
	for _, t := range n.Spec.Taints {
		f.tainted = f.tainted || t.Key == dedicatedKey
	}
	for _, c := range n.Status.Conditions {
		if c.Type == "Ready" {
			f.ready = c.Status == "True"
		}
	}
	return f
}

// dedicated is true for every node that belongs to MaroonedPods, verified or not.
func (f facts) dedicated() bool {
	return f.verifiedUID != "" || f.selfUID != "" || f.pool || f.tainted || hasPrefix(f.name, nodePrefix)
}

func hasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && s[:len(prefix)] == prefix
}
