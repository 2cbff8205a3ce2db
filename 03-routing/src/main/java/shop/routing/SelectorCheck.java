package shop.routing;

import com.rabbitmq.jms.parse.sql.SqlCompiler;
import com.rabbitmq.jms.parse.sql.SqlEvaluator;
import com.rabbitmq.jms.parse.sql.SqlExpressionType;
import com.rabbitmq.jms.parse.sql.SqlParser;
import com.rabbitmq.jms.parse.sql.SqlTokenStream;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a JMS selector with the RabbitMQ JMS client's own compiler before anything is subscribed.
 * The client compiles a selector only after it has declared the subscription's queue and bound a
 * selector exchange, so a typo found there would leave both behind on the broker.
 */
final class SelectorCheck {

    /** The JMS header fields a selector may name, typed as the client types them. */
    private static final Map<String, SqlExpressionType> JMS_HEADERS = Map.of(
            "JMSDeliveryMode", SqlExpressionType.STRING, "JMSPriority", SqlExpressionType.ARITH,
            "JMSMessageID", SqlExpressionType.STRING, "JMSTimestamp", SqlExpressionType.ARITH,
            "JMSCorrelationID", SqlExpressionType.STRING, "JMSType", SqlExpressionType.STRING);

    private SelectorCheck() {
    }

    /** Why {@code selector} is not a valid JMS selector, or empty when it is. */
    static Optional<String> problem(String selector) {
        try {
            SqlCompiler compiler = new SqlCompiler(new SqlEvaluator(new SqlParser(new SqlTokenStream(selector)), JMS_HEADERS));
            return compiler.compileOk() ? Optional.empty() : Optional.of(compiler.getErrorMessage());
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
