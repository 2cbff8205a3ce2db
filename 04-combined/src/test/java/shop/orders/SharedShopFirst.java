package shop.orders;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the classes that share the run's shop ({@link DeployedShop}) before the others, in the order they came: the
 * shop then boots once, and stops when the first class that starts shops of its own in the same vhost begins. The
 * experiments ({@code *Experiment}) run after all the tests, the one that shares the shop first (it boots the shop
 * again): failure lab 5 ({@link NodeFailureIT}) runs beside the tests, and an experiment measures a machine that runs
 * nothing else of the build (each also waits for the lab's lock). Named in junit-platform.properties; it changes how
 * long a run takes, never what a test sees.
 */
public final class SharedShopFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // A stable sort: within each group, the order the build tool chose.
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor c) -> c.getTestClass().getSimpleName().endsWith("Experiment"))
                .thenComparing(c -> !DeployedShop.class.isAssignableFrom(c.getTestClass())));
    }
}
