package shop.tasks;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Validates a POST /api/tasks body into a {@link Task}, or explains in one sentence what is wrong with it. */
public final class TaskRequest {

    private static final Set<String> FIELDS = Set.of("type", "orderId", "to", "simulate");
    private static final Set<String> SIMULATE_FIELDS = Set.of("workMs", "failAttempts");
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,40}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,63}");

    /** The reason a body is refused; becomes a 400 problem+json. */
    public static final class Invalid extends Exception {
        public Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    private TaskRequest() {
    }

    // tag::validate[]
    public static Task parse(String body) throws Invalid {
        JsonObject json = object(body);
        List<String> unknown = new ArrayList<>(json.keySet());
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw new Invalid("Unknown field(s) " + unknown + "; a task has only " + FIELDS + ".");
        }
        TaskType type = TaskType.of(string(json, "type"))
                .orElseThrow(() -> new Invalid("\"type\" must be \"email\" or \"report\"."));
        String orderId = string(json, "orderId");
        if (!ORDER_ID.matcher(orderId).matches()) {
            throw new Invalid("\"orderId\" must be 1-40 letters, digits or dashes.");
        }
        String to = "";
        if (type == TaskType.EMAIL) {
            to = string(json, "to");
            if (!EMAIL.matcher(to).matches()) {
                throw new Invalid("\"to\" must be an e-mail address for an email task.");
            }
        } else if (json.containsKey("to")) {
            throw new Invalid("\"to\" belongs to email tasks only.");
        }
        long workMs = -1;
        int failAttempts = 0;
        if (json.containsKey("simulate")) {
            JsonObject simulate = nested(json, "simulate");
            List<String> unknownSimulate = new ArrayList<>(simulate.keySet());
            unknownSimulate.removeAll(SIMULATE_FIELDS);
            if (!unknownSimulate.isEmpty()) {
                throw new Invalid("Unknown field(s) " + unknownSimulate + " in \"simulate\"; it has only " + SIMULATE_FIELDS + ".");
            }
            workMs = simulate.containsKey("workMs") ? number(simulate, "workMs", 0, 60_000) : -1;
            failAttempts = simulate.containsKey("failAttempts") ? (int) number(simulate, "failAttempts", 0, 100) : 0;
        }
        return new Task(UUID.randomUUID().toString(), type, orderId, to, workMs, failAttempts);
    }
    // end::validate[]

    private static JsonObject object(String body) throws Invalid {
        if (body == null || body.isBlank()) {
            throw new Invalid("The body is empty; send a JSON object such as {\"type\":\"report\",\"orderId\":\"A-1001\"}.");
        }
        // Not JSON, or nested too deep: a 400 problem of its own (JsonBody), never a 500.
        JsonValue value = JsonBody.read(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new Invalid("The body must be a JSON object.");
        }
        return value.asJsonObject();
    }

    private static String string(JsonObject json, String field) throws Invalid {
        if (!(json.get(field) instanceof JsonString value)) {
            throw new Invalid("\"" + field + "\" is required and must be a string.");
        }
        return value.getString();
    }

    private static JsonObject nested(JsonObject json, String field) throws Invalid {
        if (json.get(field) == null || json.get(field).getValueType() != JsonValue.ValueType.OBJECT) {
            throw new Invalid("\"" + field + "\" must be a JSON object.");
        }
        return json.getJsonObject(field);
    }

    private static long number(JsonObject json, String field, long min, long max) throws Invalid {
        if (!(json.get(field) instanceof JsonNumber value) || !value.isIntegral()
                || value.bigDecimalValue().compareTo(BigDecimal.valueOf(min)) < 0
                || value.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new Invalid("\"" + field + "\" must be a whole number from " + min + " to " + max + ".");
        }
        return value.longValue();
    }
}
