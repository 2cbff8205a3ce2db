package shop.tasks;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The worker's own gate: reads a delivered message into a {@link Task} under the worker's limits, whoever
 * published it, and names the reason when it cannot. The producer's checks (TaskRequest) guard the REST API
 * only; any AMQP client can publish to the tasks exchange, so the worker trusts none of them.
 */
final class TaskReader {

    /** Looked up once, not per call: see Task.JSON. */
    private static final JsonProvider JSON = JsonProvider.provider();

    // tag::limits[]
    /** The worker's own body limit: a task is a few hundred bytes; 16 KB is the REST API's limit too. */
    static final int MAX_BYTES = 16 * 1024;
    /**
     * The longest simulated work the worker takes on, well under the client's onMessage timeout (RabbitOptions): a
     * listener that runs past it is interrupted and its consumer closed, which would silence the worker.
     */
    static final long MAX_WORK_MS = 60_000;
    static final int MAX_FAIL_ATTEMPTS = 100;
    // end::limits[]

    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{8,64}");
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,40}");

    /** A delivered message, read: a task to work on, or the reason it can never become one. */
    sealed interface Read permits Readable, Unreadable {
    }

    /** A task the worker takes on. */
    record Readable(Task task) implements Read {
    }

    /**
     * Why a message can never become a task: an expected outcome (any client may publish anything), not an error.
     * Retrying cannot change its bytes, so it is dead-lettered at once.
     */
    record Unreadable(String reason) implements Read {
    }

    private TaskReader() {
    }

    /** The message as a task: JSON text from the REST producer (TextMessage) or from a plain AMQP client (BytesMessage). */
    static Read read(Message message) throws JMSException {
        String jmsType = message.getJMSType();
        if (jmsType != null && !jmsType.equals("TextMessage") && !jmsType.equals("BytesMessage")) {
            // The JMS client's own header: a JMS producer sent a MapMessage, ObjectMessage, ... here. (The client
            // names a plain AMQP message, with no such header, a BytesMessage: the worker reads those.)
            return new Unreadable("a JMS " + jmsType + ", not JSON text");
        }
        byte[] bytes;
        if (message instanceof TextMessage text) {
            String body = text.getText();
            if (body == null || body.isEmpty()) {
                return new Unreadable("no body");
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        } else if (message instanceof BytesMessage raw) {
            long length = raw.getBodyLength();
            if (length == 0) {
                return new Unreadable("no body");
            }
            if (length > MAX_BYTES) {
                return tooBig(length); // before the bytes are copied out
            }
            bytes = new byte[(int) length];
            raw.readBytes(bytes);
        } else {
            return new Unreadable("a " + message.getClass().getSimpleName() + ", not JSON text");
        }
        if (bytes.length > MAX_BYTES) {
            return tooBig(bytes.length);
        }
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return new Unreadable("a body that is not UTF-8 text");
        }
    }

    private static Unreadable tooBig(long bytes) {
        return new Unreadable("a body of " + bytes + " bytes, over the worker's limit of " + MAX_BYTES);
    }

    // tag::parse[]
    static Read parse(String body) {
        JsonValue value;
        try (var reader = JSON.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (JsonException e) {
            return new Unreadable("a body that is not JSON");
        }
        if (!(value instanceof JsonObject json)) {
            return new Unreadable("JSON that is not an object");
        }
        // A tolerant reader: a field the worker does not use is ignored (a newer producer may add one, and the
        // experiments pad their tasks); every field it does use is checked, strictly.
        if (!(json.get("id") instanceof JsonString id)) {
            return wrongShape("id");
        }
        if (!ID.matcher(id.getString()).matches()) {
            return malformed("id");
        }
        if (!(json.get("type") instanceof JsonString typeName)) {
            return wrongShape("type");
        }
        Optional<TaskType> type = TaskType.of(typeName.getString());
        if (type.isEmpty()) {
            return new Unreadable("an unknown task type");
        }
        if (!(json.get("orderId") instanceof JsonString orderId)) {
            return wrongShape("orderId");
        }
        if (!ORDER_ID.matcher(orderId.getString()).matches()) {
            return malformed("orderId");
        }
        String to = "";
        if (json.containsKey("to")) {
            if (!(json.get("to") instanceof JsonString address)) {
                return wrongShape("to");
            }
            to = address.getString();
        }
        if (type.get() == TaskType.EMAIL && !to.contains("@")) {
            return new Unreadable("an email task without an address");
        }
        JsonObject simulate = JsonValue.EMPTY_JSON_OBJECT;
        if (json.containsKey("simulate")) {
            if (!(json.get("simulate") instanceof JsonObject given)) {
                return new Unreadable("JSON of the wrong shape: \"simulate\" is not an object");
            }
            simulate = given;
        }
        if (simulate.containsKey("workMs") && !isWithin(simulate.get("workMs"), MAX_WORK_MS)) {
            return outOfRange("workMs", MAX_WORK_MS);
        }
        if (simulate.containsKey("failAttempts") && !isWithin(simulate.get("failAttempts"), MAX_FAIL_ATTEMPTS)) {
            return outOfRange("failAttempts", MAX_FAIL_ATTEMPTS);
        }
        long workMs = simulate.containsKey("workMs") ? simulate.getJsonNumber("workMs").longValue() : -1;
        int failAttempts = simulate.containsKey("failAttempts") ? simulate.getJsonNumber("failAttempts").intValue() : 0;
        return new Readable(new Task(id.getString(), type.get(), orderId.getString(), to, workMs, failAttempts));
    }
    // end::parse[]

    private static Unreadable wrongShape(String field) {
        return new Unreadable("JSON of the wrong shape: \"" + field + "\" is missing or not a string");
    }

    private static Unreadable malformed(String field) {
        return new Unreadable("a malformed \"" + field + "\"");
    }

    private static boolean isWithin(JsonValue value, long max) {
        return value instanceof JsonNumber number && number.isIntegral()
                && number.longValue() >= 0 && number.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    private static Unreadable outOfRange(String field, long max) {
        return new Unreadable("\"simulate." + field + "\" outside the worker's limit of 0 to " + max);
    }
}
