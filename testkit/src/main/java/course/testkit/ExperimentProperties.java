package course.testkit;

/**
 * Reads an experiment's size from {@code -Dexperiment.*} system properties. The defaults are the small
 * CI size; the full size is one Maven command away, for example
 * {@code mvn -pl 01-websocket-chat -am verify -Dit.test='*Experiment' -Dexperiment.members=1000 -Dexperiment.seconds=60}
 * (Maven passes its {@code -D} user properties on to the forked test JVM).
 */
public final class ExperimentProperties {

    private ExperimentProperties() {
    }

    public static int integer(String key, int ciDefault) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            return ciDefault;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed <= 0) {
                throw new IllegalArgumentException(key + " must be positive, but is " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, but is \"" + value + "\"", e);
        }
    }

    public static double decimal(String key, double ciDefault) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            return ciDefault;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!(parsed > 0)) {
                throw new IllegalArgumentException(key + " must be positive, but is " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, but is \"" + value + "\"", e);
        }
    }
}
