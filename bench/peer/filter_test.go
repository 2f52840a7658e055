package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	uid      = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"
	otherUID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
	ownNode  = nodePrefix + uid
)

func verified(name, podUID string, ready bool) facts {
	return facts{name: name, verifiedUID: podUID, selfUID: podUID, tainted: true, ready: ready}
}

func maroonPod(podUID string) *pod {
	p := &pod{}
	p.Metadata.UID = podUID
	p.Spec.SchedulerName = schedulerName
	return p
}

func TestAMaroonPodPassesOnlyItsVerifiedReadyNode(t *testing.T) {
	cache := map[string]facts{ownNode: verified(ownNode, uid, true)}
	got := filter(maroonPod(uid), []string{"worker-1", ownNode}, cache)
	if !reflect.DeepEqual(got.NodeNames, []string{ownNode}) {
		t.Fatalf("passed %v, want only %s", got.NodeNames, ownNode)
	}
	if want := "not the pod's dedicated node " + ownNode; got.FailedAndUnresolvableNodes["worker-1"] != want {
		t.Errorf("worker-1 rejected with %q, want %q", got.FailedAndUnresolvableNodes["worker-1"], want)
	}
}

func TestAMaroonPodWaitsForANodeThatOnlyLabelledItself(t *testing.T) {
	cache := map[string]facts{ownNode: {name: ownNode, selfUID: uid, tainted: true, ready: true}}
	got := filter(maroonPod(uid), []string{ownNode, "worker-1"}, cache)
	if len(got.NodeNames) != 0 {
		t.Fatalf("passed %v, want none", got.NodeNames)
	}
	want := "dedicated node " + ownNode + " registered, not verified yet"
	if got.FailedAndUnresolvableNodes[ownNode] != want || got.FailedAndUnresolvableNodes["worker-1"] != want {
		t.Errorf("reasons %v, want %q for both", got.FailedAndUnresolvableNodes, want)
	}
}

func TestAMaroonPodIsToldItsNodeIsNotReady(t *testing.T) {
	cache := map[string]facts{ownNode: verified(ownNode, uid, false)}
	got := filter(maroonPod(uid), []string{ownNode}, cache)
	if want := "dedicated node " + ownNode + " not Ready"; got.FailedAndUnresolvableNodes[ownNode] != want {
		t.Errorf("reason %q, want %q", got.FailedAndUnresolvableNodes[ownNode], want)
	}
}

func TestAMaroonPodNeverPassesAnotherPodsNodeOrAPoolNode(t *testing.T) {
	other := nodePrefix + otherUID
	cache := map[string]facts{other: verified(other, otherUID, true),
		"maroon-pool-a": {name: "maroon-pool-a", pool: true, ready: true}}
	got := filter(maroonPod(uid), []string{other, "maroon-pool-a", "maroon-unknown"}, cache)
	want := map[string]string{other: dedicatedToAnotherPod, "maroon-pool-a": unclaimedPoolNode,
		"maroon-unknown": dedicatedToAnotherPod}
	if len(got.NodeNames) != 0 || !reflect.DeepEqual(got.FailedAndUnresolvableNodes, want) {
		t.Errorf("passed %v, rejected %v; want none passed and %v", got.NodeNames, got.FailedAndUnresolvableNodes, want)
	}
}

func TestAnOrdinaryPodPassesEveryNodeButDedicatedOnes(t *testing.T) {
	cache := map[string]facts{ownNode: verified(ownNode, uid, true)}
	p := &pod{}
	p.Metadata.UID = otherUID
	got := filter(p, []string{"worker-1", ownNode, "maroon-unknown", "worker-2"}, cache)
	if !reflect.DeepEqual(got.NodeNames, []string{"worker-1", "worker-2"}) {
		t.Errorf("passed %v, want worker-1 and worker-2", got.NodeNames)
	}
	if got.FailedAndUnresolvableNodes[ownNode] != reservedForMaroonPods ||
		got.FailedAndUnresolvableNodes["maroon-unknown"] != reservedForMaroonPods {
		t.Errorf("rejected %v, want both maroon nodes reserved", got.FailedAndUnresolvableNodes)
	}
}

func TestTheCacheKeepsOnlyLabelledNodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodes.json")
	list := `{"kind":"NodeList","items":[
	  {"metadata":{"name":"` + ownNode + `","labels":{"` + verifiedLabel + `":"` + uid + `"}},
	   "spec":{"taints":[{"key":"` + dedicatedKey + `","effect":"NoSchedule"}],"unschedulable":true},
	   "status":{"conditions":[{"type":"Ready","status":"True"}]}},
	  {"metadata":{"name":"worker-1","labels":{"kubernetes.io/hostname":"worker-1"}}}]}`
	if err := os.WriteFile(path, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	cache, err := loadCache(path)
	if err != nil {
		t.Fatal(err)
	}
	want := facts{name: ownNode, verifiedUID: uid, tainted: true, ready: true, unschedulable: true}
	if len(cache) != 1 || cache[ownNode] != want {
		t.Errorf("cache %+v, want only %+v", cache, want)
	}
}

func TestTheNoopFloorAnswersEveryNodeInNodeNamesMode(t *testing.T) {
	body := `{"Pod":{"metadata":{"uid":"` + uid + `"}},"Nodes":null,"NodeNames":["a","maroon-b"]}`
	rec := httptest.NewRecorder()
	serveFilter(rec, httptest.NewRequest(http.MethodPost, "/scheduler/filter", strings.NewReader(body)),
		map[string]facts{}, true, 8192)
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d %s (%v)", rec.Code, rec.Body, err)
	}
	if !reflect.DeepEqual(got["NodeNames"], []any{"a", "maroon-b"}) || got["Nodes"] != nil {
		t.Errorf("answer %v, want both names in NodeNames and Nodes null", got)
	}
}

func TestARequestWithoutNodeNamesIsRefused(t *testing.T) {
	rec := httptest.NewRecorder()
	serveFilter(rec, httptest.NewRequest(http.MethodPost, "/scheduler/filter",
		strings.NewReader(`{"Pod":{},"Nodes":{"items":[]},"NodeNames":null}`)), map[string]facts{}, false, 8192)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "NodeNames: required") {
		t.Errorf("HTTP %d %s, want 400 naming NodeNames", rec.Code, rec.Body)
	}
}
