package io.maroonedpods.provisioner.reconcile;

import io.javaoperatorsdk.operator.api.config.informer.Field;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.maroonedpods.api.Names;

/**
 * The pod controller watching only {@code spec.schedulerName=maroon-scheduler} pods. JOSDK 5.2 accepts a field
 * selector for the primary informer only through this annotation (the configuration overrider has no setter for it),
 * hence a subclass that differs in nothing else.
 */
@ControllerConfiguration(informer = @Informer(fieldSelector = @Field(path = "spec.schedulerName",
        value = Names.SCHEDULER_NAME)))
public class SchedulerNamePodReconciler extends MaroonPodReconciler {

    public SchedulerNamePodReconciler(PodSteps steps) {
        super(steps);
    }
}
