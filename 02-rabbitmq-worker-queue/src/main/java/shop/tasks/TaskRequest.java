package shop.tasks;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** A POST /api/tasks body, parsed and validated: a {@link Task} to queue, or the reason it was refused (400). */
public sealed interface TaskRequest permits TaskRequest.Valid, TaskRequest.Invalid {

    Set<String> FIELDS = Set.of("type", "orderId", "to", "simulate");
    Set<String> SIMULATE_FIELDS = Set.of("workMs", "failAttempts");
    Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,40}");
    Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,63}");

    /** A body that makes a task, under a fresh id. */
    record Valid(Task task) implements TaskRequest {
    }

    /** The reason a body is refused, in one sentence; becomes a 400 problem+json. */
    record Invalid(String detail) implements TaskRequest {
    }

    // tag::validate[]
    static TaskRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return new Invalid("The body is empty; send a JSON object such as {\"type\":\"report\",\"orderId\":\"A-1001\"}.");
        }
        // Not JSON, or nested too deep: a 400 problem of its own (JsonBody), never a 500.
        if (!(JsonBody.read(body) instanceof JsonObject json)) {
            return new Invalid("The body must be a JSON object.");
        }
        List<String> unknown = unknown(json, FIELDS);
        if (!unknown.isEmpty()) {
            return new Invalid("Unknown field(s) " + unknown + "; a task has only " + FIELDS + ".");
        }
        if (!(json.get("type") instanceof JsonString typeName)) {
            return required("type");
        }
        Optional<TaskType> type = TaskType.of(typeName.getString());
        if (type.isEmpty()) {
            return new Invalid("\"type\" must be \"email\" or \"report\".");
        }
        if (!(json.get("orderId") instanceof JsonString orderId)) {
            return required("orderId");
        }
        if (!ORDER_ID.matcher(orderId.getString()).matches()) {
            return new Invalid("\"orderId\" must be 1-40 letters, digits or dashes.");
        }
        String to = "";
        if (type.get() == TaskType.EMAIL) {
            if (!(json.get("to") instanceof JsonString address)) {
                return required("to");
            }
            if (!EMAIL.matcher(address.getString()).matches()) {
                return new Invalid("\"to\" must be an e-mail address for an email task.");
            }
            to = address.getString();
        } else if (json.containsKey("to")) {
            return new Invalid("\"to\" belongs to email tasks only.");
        }
        long workMs = -1;
        int failAttempts = 0;
        if (json.containsKey("simulate")) {
            if (!(json.get("simulate") instanceof JsonObject simulate)) {
                return new Invalid("\"simulate\" must be a JSON object.");
            }
            List<String> unknownSimulate = unknown(simulate, SIMULATE_FIELDS);
            if (!unknownSimulate.isEmpty()) {
                return new Invalid("Unknown field(s) " + unknownSimulate + " in \"simulate\"; it has only " + SIMULATE_FIELDS + ".");
            }
            if (simulate.containsKey("workMs")) {
                if (!isWholeNumber(simulate.get("workMs"), 0, 60_000)) {
                    return outOfRange("workMs", 0, 60_000);
                }
                workMs = simulate.getJsonNumber("workMs").longValue();
            }
            if (simulate.containsKey("failAttempts")) {
                if (!isWholeNumber(simulate.get("failAttempts"), 0, 100)) {
                    return outOfRange("failAttempts", 0, 100);
                }
                failAttempts = simulate.getJsonNumber("failAttempts").intValue();
            }
        }
        return new Valid(new Task(UUID.randomUUID().toString(), type.get(), orderId.getString(), to, workMs, failAttempts));
    }
    // end::validate[]

    private static List<String> unknown(JsonObject json, Set<String> known) {
        List<String> unknown = new ArrayList<>(json.keySet());
        unknown.removeAll(known);
        return unknown;
    }

    private static Invalid required(String field) {
        return new Invalid("\"" + field + "\" is required and must be a string.");
    }

    private static boolean isWholeNumber(JsonValue value, long min, long max) {
        return value instanceof JsonNumber number && number.isIntegral()
                && number.bigDecimalValue().compareTo(BigDecimal.valueOf(min)) >= 0
                && number.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    private static Invalid outOfRange(String field, long min, long max) {
        return new Invalid("\"" + field + "\" must be a whole number from " + min + " to " + max + ".");
    }
}
