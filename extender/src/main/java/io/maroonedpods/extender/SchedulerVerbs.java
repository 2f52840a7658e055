package io.maroonedpods.extender;

import io.maroonedpods.api.Names;
import io.maroonedpods.extender.bind.BindOutcome;
import io.maroonedpods.extender.bind.Binder;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.extender.filter.CandidateNodes;
import io.maroonedpods.extender.filter.Filter;
import io.maroonedpods.extender.filter.FilterDecision;
import io.maroonedpods.extender.filter.NodeNameCandidates;
import io.maroonedpods.extender.filter.NodeView;
import io.maroonedpods.extender.filter.PodBeingScheduled;
import io.maroonedpods.extender.filter.Preempt;
import io.maroonedpods.extender.filter.Prioritize;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import io.maroonedpods.extender.wire.BadRequestException;
import io.maroonedpods.extender.wire.ByteSink;
import io.maroonedpods.extender.wire.ExtenderArgs;
import io.maroonedpods.extender.wire.ExtenderArgsReader;
import io.maroonedpods.extender.wire.ExtenderBindingArgs;
import io.maroonedpods.extender.wire.ExtenderBindingResult;
import io.maroonedpods.extender.wire.FilterResultWriter;
import io.maroonedpods.extender.wire.HostPriority;
import io.maroonedpods.extender.wire.NotReadyException;
import io.maroonedpods.extender.wire.Preemption;
import io.maroonedpods.extender.wire.WireJson;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The four scheduler verbs, each: decode the body, call the pure decision, encode the answer. */
public final class SchedulerVerbs {
    private final ExtenderConfig config;
    private final NodeView view;
    private final BooleanSupplier synced;
    private final Binder binder;
    private final ExtenderMetrics metrics;
    private final Clock clock;
    private final ExtenderArgsReader argsReader;

    /**
     * @param synced whether the view is complete; NodeNames requests and preemption are refused until it is
     */
    public SchedulerVerbs(
            ExtenderConfig config,
            NodeView view,
            BooleanSupplier synced,
            Binder binder,
            ExtenderMetrics metrics,
            Clock clock) {
        this.config = config;
        this.view = view;
        this.synced = synced;
        this.binder = binder;
        this.metrics = metrics;
        this.clock = clock;
        this.argsReader =
                new ExtenderArgsReader(Names.dedicatedTaintKey(config.taintKeyPrefix()), config.schedulerName());
    }

    public void filter(byte[] body, ByteSink out) throws IOException {
        ExtenderArgs args = argsReader.read(body);
        PodBeingScheduled pod = args.pod();
        FilterDecision decision = Filter.decide(pod, candidates(args), view, clock.instant(), config.allowDaemonSets());
        metrics.decision(!pod.maroon() ? "other" : decision.passedCount() > 0 ? "maroon_passed" : "maroon_rejected");
        FilterResultWriter.write(args, decision, out);
    }

    public void prioritize(byte[] body, ByteSink out) throws IOException {
        ExtenderArgs args = argsReader.read(body);
        CandidateNodes candidates = candidates(args);
        int[] scores = Prioritize.scores(args.pod(), candidates);
        List<HostPriority> priorities = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            priorities.add(new HostPriority(candidates.name(i), scores[i]));
        }
        WireJson.MAPPER.writeValue(out, priorities);
    }

    public void preempt(byte[] body, ByteSink out) throws IOException {
        Preemption.Args args = WireJson.readWhole(body, Preemption.Args.class);
        if (args == null || args.pod() == null) {
            throw new BadRequestException("Pod: required (got null or nothing)");
        }
        requireSynced();
        PodBeingScheduled pod = PodBeingScheduled.of(args.pod(), config.schedulerName());
        Map<String, Preemption.MetaVictims> kept = new LinkedHashMap<>();
        if (args.nodeNameToMetaVictims() != null) {
            args.nodeNameToMetaVictims().forEach((node, victims) -> {
                if (Preempt.keepsCandidate(pod, node, view.dedicatedNode(node))) {
                    kept.put(node, victims);
                }
            });
        }
        if (args.nodeNameToVictims() != null) {
            args.nodeNameToVictims().forEach((node, victims) -> {
                if (Preempt.keepsCandidate(pod, node, view.dedicatedNode(node))) {
                    kept.put(node, metaVictims(victims));
                }
            });
        }
        WireJson.MAPPER.writeValue(out, new Preemption.Result(kept));
    }

    public void bind(byte[] body, ByteSink out) throws IOException {
        ExtenderBindingArgs args = WireJson.readWhole(body, ExtenderBindingArgs.class);
        if (args == null) {
            throw new BadRequestException("request body: expected an ExtenderBindingArgs object, got null");
        }
        BindOutcome outcome = binder.bind(args.validated());
        metrics.bind(outcome.kind().label());
        WireJson.MAPPER.writeValue(out, new ExtenderBindingResult(outcome.error()));
    }

    private CandidateNodes candidates(ExtenderArgs args) {
        if (!args.namesMode()) {
            return args.nodes();
        }
        requireSynced();
        return new NodeNameCandidates(args.nodeNames(), view);
    }

    /** An unsynced cache would not know every dedicated node: answering from it could let a pod onto one. */
    private void requireSynced() {
        if (!synced.getAsBoolean()) {
            throw new NotReadyException("not ready: the dedicated-node cache has not synced yet, retry shortly");
        }
    }

    private static Preemption.MetaVictims metaVictims(Preemption.Victims victims) {
        if (victims == null) {
            return null;
        }
        List<Preemption.MetaPod> pods = new ArrayList<>();
        if (victims.pods() != null) {
            victims.pods()
                    .forEach(p -> pods.add(new Preemption.MetaPod(
                            p == null || p.getMetadata() == null
                                    ? null
                                    : p.getMetadata().getUid())));
        }
        return new Preemption.MetaVictims(pods, victims.numPdbViolations());
    }
}
