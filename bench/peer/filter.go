package main

// The filter rule of DESIGN.md, NodeNames mode: a maroon pod passes exactly its own verified, Ready, schedulable,
// not-deleting node, every other node rejected with a reason; any other pod passes every node but dedicated ones.
// The reasons are the Java extender's, word for word, so both answer the same JSON.

const (
	schedulerName         = "maroon-scheduler"
	optInLabel            = "maroonedpods.io/maroon"
	dedicatedToAnotherPod = "dedicated to another pod"
	reservedForMaroonPods = "dedicated node, reserved for its maroon pod"
	unclaimedPoolNode     = "unclaimed warm-pool node"
	noUID                 = "pod has no metadata.uid"
)

// pod is the part of the scheduled Pod the rule reads.
type pod struct {
	Metadata struct {
		UID    string
		Labels map[string]string
	}
	Spec struct {
		SchedulerName string
	}
}

func (p *pod) maroon() bool {
	return p.Spec.SchedulerName == schedulerName || p.Metadata.Labels[optInLabel] == "true"
}

// filterResult is kube-scheduler's ExtenderFilterResult; Nodes is always null in NodeNames mode.
type filterResult struct {
	Nodes                      *struct{}
	NodeNames                  []string
	FailedNodes                map[string]string
	FailedAndUnresolvableNodes map[string]string
	Error                      string
}

func filter(p *pod, names []string, cache map[string]facts) filterResult {
	result := filterResult{
		NodeNames:                  make([]string, 0, len(names)),
		FailedNodes:                map[string]string{},
		FailedAndUnresolvableNodes: map[string]string{},
	}
	maroon := p.maroon()
	waiting := "" // the reason of every ordinary node for a maroon pod: computed once per request
	for _, name := range names {
		reason := ""
		f, cached := cache[name]
		switch {
		case !maroon:
			if cached && f.dedicated() || !cached && hasPrefix(name, nodePrefix) {
				reason = reservedForMaroonPods
			}
		case p.Metadata.UID == "":
			reason = noUID
		case cached && f.dedicated():
			reason = dedicatedRejection(p.Metadata.UID, f)
		case !cached && hasPrefix(name, nodePrefix):
			reason = dedicatedToAnotherPod
			if name == nodePrefix+p.Metadata.UID {
				reason = notVerifiedYet(name)
			}
		default:
			if waiting == "" {
				waiting = waitingReason(p.Metadata.UID, cache)
			}
			reason = waiting
		}
		if reason == "" {
			result.NodeNames = append(result.NodeNames, name)
		} else {
			result.FailedAndUnresolvableNodes[name] = reason
		}
	}
	return result
}

// dedicatedRejection is "" when f is the pod's usable verified node, else why the pod cannot go there.
func dedicatedRejection(uid string, f facts) string {
	switch {
	case f.verifiedUID == uid:
		return unusable(f)
	case f.verifiedUID != "":
		return dedicatedToAnotherPod
	case f.selfUID == uid || f.name == nodePrefix+uid:
		return notVerifiedYet(f.name)
	case f.pool:
		return unclaimedPoolNode
	default:
		return dedicatedToAnotherPod
	}
}

func unusable(f facts) string {
	switch {
	case f.deleting:
		return "dedicated node " + f.name + " is being deleted"
	case !f.ready:
		return "dedicated node " + f.name + " not Ready"
	case f.unschedulable:
		return "dedicated node " + f.name + " is cordoned"
	default:
		return ""
	}
}

func notVerifiedYet(name string) string {
	return "dedicated node " + name + " registered, not verified yet"
}

// waitingReason is why an ordinary node is rejected: where the pod's own node stands. The peer has no VMI cache;
// the benchmark's cluster has no VMIs, so the Java extender says the same.
func waitingReason(uid string, cache map[string]facts) string {
	own := nodePrefix + uid
	f, cached := cache[own]
	switch {
	case cached && f.verifiedUID == uid:
		if why := unusable(f); why != "" {
			return why
		}
		return "not the pod's dedicated node " + own
	case cached:
		return notVerifiedYet(own)
	default:
		return "no verified dedicated node yet: no VMI " + own + " yet"
	}
}
