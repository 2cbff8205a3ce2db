package shop.orders;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a message from a step's queue into a {@link Command}, or says why no attempt could ever handle it
 * (no body, not JSON, the wrong shape, the wrong JMS type, too big), so the service dead-letters it at once.
 */
// The service checks what it receives itself: anyone with write access to the exchange can publish,
// not only the web tier.
public final class CommandMessage {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** A command is about 250 bytes; anything over this is not one of ours. */
    public static final int MAX_BYTES = 4_096;
    /** In this order, so a message missing several fields is always refused for the same one. */
    private static final List<String> FIELDS = List.of("command", "orderId", "customer", "item", "payment",
            "correlationId", "choice");

    /** A message from a step's queue, read: the command to carry out, or why no attempt could ever handle it. */
    public sealed interface Read permits Readable, Unreadable {
    }

    /** A command this step can handle. */
    public record Readable(Command command) implements Read {
    }

    /** Why a message cannot be handled, in words for the log line and the dead letter: an expected outcome, not an error. */
    public record Unreadable(String reason) implements Read {
    }

    private CommandMessage() {
    }

    /** The body as it came, whatever it is: the dead letter keeps it for whoever looks into it. */
    public static byte[] body(Message message) throws JMSException {
        byte[] body;
        if (message instanceof TextMessage text) {
            body = text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        } else if (message instanceof BytesMessage bytes) {
            body = new byte[(int) Math.min(bytes.getBodyLength(), Integer.MAX_VALUE - 8)];
            bytes.readBytes(body);
        } else {
            body = new byte[0];
        }
        return body;
    }

    // tag::read[]
    /** The command, if this step can handle it; otherwise why not. */
    public static Read read(Message message, byte[] body, Step step) throws JMSException {
        String type = message.getJMSType();
        if (!(message instanceof TextMessage || message instanceof BytesMessage)
                || (type != null && !type.equals("TextMessage") && !type.equals("BytesMessage"))) {
            return new Unreadable("JMS type " + (type == null ? message.getClass().getSimpleName() : type)
                    + ", but a command is JSON text");
        }
        if (body.length == 0) {
            return new Unreadable("no body");
        }
        if (body.length > MAX_BYTES) {
            return new Unreadable("too big: " + body.length + " bytes, a command has at most " + MAX_BYTES);
        }
        JsonObject json;
        try (JsonReader reader = JSON.createReader(new StringReader(utf8(body)))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException | ClassCastException | java.util.NoSuchElementException
                 | CharacterCodingException e) {
            return new Unreadable("not a JSON object: " + quote(body));
        }
        for (String field : FIELDS) {
            if (!(json.get(field) instanceof JsonString)) {
                return new Unreadable("wrong shape: the field '" + field + "' is missing or not a string");
            }
        }
        return check(Command.parse(json.toString()), step);
    }
    // end::read[]

    private static Read check(Command command, Step step) {
        if (!Arrays.asList(step.commands()).contains(command.name())) {
            return new Unreadable("the command '" + printable(command.name()) + "' does not belong in " + step.queue());
        }
        if (!ClientFrame.ORDER_ID.matcher(command.orderId()).matches()) {
            return new Unreadable("the orderId is not an order id");
        }
        if (!SignIns.VALID_NAME.matcher(command.customer()).matches()) {
            return new Unreadable("the customer is not a customer's name");
        }
        if (Catalog.find(command.item()).isEmpty()) {
            return new Unreadable("no such item: " + printable(command.item()));
        }
        if (!ClientFrame.CORRELATION_ID.matcher(command.correlationId()).matches()) {
            return new Unreadable("the correlationId is not a correlation id");
        }
        if (command.name().equals("charge") && !ClientFrame.PAYMENT_TOKEN.matcher(command.payment()).matches()) {
            return new Unreadable("the payment is not a payment token");
        }
        if (command.name().equals("answer") && !"accept".equals(command.choice()) && !"cancel".equals(command.choice())) {
            return new Unreadable("the choice is neither accept nor cancel");
        }
        return new Readable(command);
    }

    private static String utf8(byte[] body) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    }

    /** The start of a body, safe for one log line: no line breaks or control characters from outside. */
    static String quote(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8);
        return "\"" + printable(text) + (body.length > 40 ? "…" : "") + "\"";
    }

    private static String printable(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
