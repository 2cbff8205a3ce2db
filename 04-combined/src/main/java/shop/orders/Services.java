package shop.orders;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** Starts the step services this process runs ({@code shop.services}), and stops them on undeploy. */
@ApplicationScoped
public class Services {

    @Inject
    Rabbit rabbit;
    @Inject
    BrokerSetup setup;
    @Inject
    ShopSettings settings;
    @Inject
    @Any
    Instance<StepHook> hooks;
    /** The module's executor for broker loops (see {@link Reconnecting}). */
    @Resource(lookup = Reconnecting.LOOPS)
    ScheduledExecutorService loops;

    private final List<StepService> running = new ArrayList<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object init) {
        // shop.step-consumers: each service's consumers in this process, each with its own connection (prefetch 1).
        for (int i = 0; i < settings.stepConsumers(); i++) {
            if (settings.runs(Step.PAYMENT)) {
                running.add(new PaymentService(rabbit, setup, settings));
            }
            if (settings.runs(Step.INVENTORY)) {
                running.add(new InventoryService(rabbit, setup, settings));
            }
            if (settings.runs(Step.SHIPPING)) {
                running.add(new ShippingService(rabbit, setup, settings));
            }
        }
        List<StepHook> added = hooks.stream().toList();
        running.forEach(service -> service.hooks(added));
        running.forEach(service -> service.start(loops));
    }

    /** Each step service this process runs, as the services endpoint reports it. */
    public List<StepService.Status> status() {
        return running.stream().map(StepService::status).toList();
    }

    @PreDestroy
    void stop() {
        running.forEach(StepService::stop);
    }
}
