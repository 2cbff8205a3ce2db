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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    /** Why a message can never become a task: retrying cannot change its bytes, so it is dead-lettered at once. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    private TaskReader() {
    }

    static Task read(Message message) throws Unreadable, JMSException {
        return parse(text(message));
    }

    /** The body as text: JSON from the REST producer (TextMessage) or from a plain AMQP client (BytesMessage). */
    static String text(Message message) throws Unreadable, JMSException {
        String jmsType = message.getJMSType();
        if (jmsType != null && !jmsType.equals("TextMessage") && !jmsType.equals("BytesMessage")) {
            // The JMS client's own header: a JMS producer sent a MapMessage, ObjectMessage, ... here. (The client
            // names a plain AMQP message, with no such header, a BytesMessage: the worker reads those.)
            throw new Unreadable("a JMS " + jmsType + ", not JSON text");
        }
        byte[] bytes;
        if (message instanceof TextMessage text) {
            String body = text.getText();
            if (body == null || body.isEmpty()) {
                throw new Unreadable("no body");
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        } else if (message instanceof BytesMessage raw) {
            long length = raw.getBodyLength();
            if (length == 0) {
                throw new Unreadable("no body");
            }
            if (length > MAX_BYTES) {
                throw new Unreadable("a body of " + length + " bytes, over the worker's limit of " + MAX_BYTES);
            }
            bytes = new byte[(int) length];
            raw.readBytes(bytes);
        } else {
            throw new Unreadable("a " + message.getClass().getSimpleName() + ", not JSON text");
        }
        if (bytes.length > MAX_BYTES) {
            throw new Unreadable("a body of " + bytes.length + " bytes, over the worker's limit of " + MAX_BYTES);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("a body that is not UTF-8 text");
        }
    }

    // tag::parse[]
    static Task parse(String body) throws Unreadable {
        JsonObject json;
        try (var reader = JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new Unreadable("JSON that is not an object");
            }
            json = value.asJsonObject();
        } catch (JsonException e) {
            throw new Unreadable("a body that is not JSON");
        }
        // A tolerant reader: a field the worker does not use is ignored (a newer producer may add one, and the
        // experiments pad their tasks); every field it does use is checked, strictly.
        String id = string(json, "id", ID);
        TaskType type = TaskType.of(string(json, "type", null))
                .orElseThrow(() -> new Unreadable("an unknown task type"));
        String orderId = string(json, "orderId", ORDER_ID);
        String to = json.containsKey("to") ? string(json, "to", null) : "";
        if (type == TaskType.EMAIL && !to.contains("@")) {
            throw new Unreadable("an email task without an address");
        }
        if (json.containsKey("simulate") && json.get("simulate").getValueType() != JsonValue.ValueType.OBJECT) {
            throw new Unreadable("JSON of the wrong shape: \"simulate\" is not an object");
        }
        JsonObject simulate = json.containsKey("simulate") ? json.getJsonObject("simulate") : JsonValue.EMPTY_JSON_OBJECT;
        long workMs = simulate.containsKey("workMs") ? number(simulate, "workMs", MAX_WORK_MS) : -1;
        int failAttempts = simulate.containsKey("failAttempts") ? (int) number(simulate, "failAttempts", MAX_FAIL_ATTEMPTS) : 0;
        return new Task(id, type, orderId, to, workMs, failAttempts);
    }
    // end::parse[]

    private static String string(JsonObject json, String field, Pattern pattern) throws Unreadable {
        if (!(json.get(field) instanceof JsonString value)) {
            throw new Unreadable("JSON of the wrong shape: \"" + field + "\" is missing or not a string");
        }
        if (pattern != null && !pattern.matcher(value.getString()).matches()) {
            throw new Unreadable("a malformed \"" + field + "\"");
        }
        return value.getString();
    }

    private static long number(JsonObject json, String field, long max) throws Unreadable {
        if (!(json.get(field) instanceof JsonNumber value) || !value.isIntegral()
                || value.longValue() < 0 || value.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
            throw new Unreadable("\"simulate." + field + "\" outside the worker's limit of 0 to " + max);
        }
        return value.longValue();
    }
}
