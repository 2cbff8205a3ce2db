package shop.orders;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the classes that share the run's shop ({@link DeployedShop}) before the others, in the order they came: the
 * shop then boots once, and stops when the first class that starts shops of its own in the same vhost begins.
 * Named in junit-platform.properties; it changes how long a run takes, never what a test sees.
 */
public final class SharedShopFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // A stable sort: within each group, the order the build tool chose.
        context.getClassDescriptors().sort(Comparator.comparing(
                (org.junit.jupiter.api.ClassDescriptor c) -> !DeployedShop.class.isAssignableFrom(c.getTestClass())));
    }
}
