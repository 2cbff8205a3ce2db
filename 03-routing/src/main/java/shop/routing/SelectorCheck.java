package shop.routing;

import com.rabbitmq.jms.parse.sql.SqlCompiler;
import com.rabbitmq.jms.parse.sql.SqlEvaluator;
import com.rabbitmq.jms.parse.sql.SqlExpressionType;
import com.rabbitmq.jms.parse.sql.SqlParser;
import com.rabbitmq.jms.parse.sql.SqlTokenStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a JMS selector with the RabbitMQ JMS client's own compiler before anything is subscribed, and then as the
 * broker's JMS topic exchange will read it. The client compiles a selector only after it has declared the
 * subscription's queue and bound a selector exchange, so a typo found there would leave both behind on the broker.
 */
final class SelectorCheck {

    /** The JMS header fields a selector may name, typed as the client types them. */
    private static final Map<String, SqlExpressionType> JMS_HEADERS = Map.of(
            "JMSDeliveryMode", SqlExpressionType.STRING, "JMSPriority", SqlExpressionType.ARITH,
            "JMSMessageID", SqlExpressionType.STRING, "JMSTimestamp", SqlExpressionType.ARITH,
            "JMSCorrelationID", SqlExpressionType.STRING, "JMSType", SqlExpressionType.STRING);
    /** A quoted string ('it''s'), or a number literal: what is outside the strings is checked for numbers and nesting. */
    private static final Pattern STRING_OR_NUMBER = Pattern.compile(
            "'(?:[^']|'')*'|(?<![A-Za-z0-9_$.])((?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]*");
    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);

    private SelectorCheck() {
    }

    /** Why {@code selector} is not a valid JMS selector, or empty when it is. */
    static Optional<String> problem(String selector) {
        return problem(selector, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Why {@code selector} is not a valid JMS selector, or one too big to check, or empty when it is fine. */
    static Optional<String> problem(String selector, int maxLength, int maxDepth) {
        if (selector.length() > maxLength) {
            return Optional.of("it has " + selector.length() + " characters, at most " + maxLength + " (routing.selector-max-length)");
        }
        if (!PRINTABLE_ASCII.matcher(selector).matches()) {
            // The broker reads the compiled selector as an Erlang term, where a character above 255 breaks a string.
            return Optional.of("it has a character that is not printable ASCII");
        }
        Optional<String> literal = numbersAndNesting(selector, maxDepth);
        if (literal.isPresent()) {
            return literal;
        }
        try {
            SqlCompiler compiler = new SqlCompiler(new SqlEvaluator(new SqlParser(new SqlTokenStream(selector)), JMS_HEADERS));
            return compiler.compileOk() ? Optional.empty() : Optional.of(compiler.getErrorMessage());
        } catch (RuntimeException | StackOverflowError e) { // the parser recurses: a long chain of NOTs is caught here
            return Optional.of(e instanceof StackOverflowError ? "it nests too deep" : String.valueOf(e.getMessage()));
        }
    }

    /**
     * The broker's JMS topic exchange decodes each number as an Erlang float or integer: {@code 1e400} compiles to
     * {@code Infinity}, which it cannot decode, and it closed the server's whole JMS connection. So every number must
     * be a finite double, and a whole number a long; and parentheses nest at most {@code maxDepth} deep.
     */
    private static Optional<String> numbersAndNesting(String selector, int maxDepth) {
        Matcher m = STRING_OR_NUMBER.matcher(selector);
        StringBuilder outside = new StringBuilder();
        int last = 0;
        while (m.find()) {
            outside.append(selector, last, m.start());
            last = m.end();
            String number = m.group(1);
            if (number == null) {
                continue; // a string literal: its parentheses do not count
            }
            if (!inRange(number)) {
                return Optional.of("the number " + abbreviate(number) + " is out of range: a whole number is at most "
                        + Long.MAX_VALUE + ", a decimal at most " + Double.MAX_VALUE);
            }
        }
        outside.append(selector, last, selector.length());
        int depth = 0;
        for (int i = 0; i < outside.length(); i++) {
            depth += outside.charAt(i) == '(' ? 1 : outside.charAt(i) == ')' ? -1 : 0;
            if (depth > maxDepth) {
                return Optional.of("its parentheses nest deeper than " + maxDepth + " (routing.selector-max-depth)");
            }
        }
        return Optional.empty();
    }

    private static boolean inRange(String number) {
        try {
            boolean whole = number.chars().allMatch(Character::isDigit);
            return new BigDecimal(number).compareTo(whole ? BigDecimal.valueOf(Long.MAX_VALUE) : MAX_DOUBLE) <= 0;
        } catch (NumberFormatException e) { // an exponent beyond an int
            return false;
        }
    }

    private static String abbreviate(String number) {
        return number.length() <= 24 ? number : number.substring(0, 20) + "...";
    }
}
