package course.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;

/**
 * JSON text generated from a fuzzer's bytes, shaped like what an endpoint expects: an object built from the
 * endpoint's own field names (plus unknown ones), whose values are of every type but the right one as often as the
 * right one: huge, negative and exponent numbers, deep nesting, long strings, lone surrogates, control characters.
 * Text only; {@link FuzzRequests} adds invalid UTF-8 at the byte level.
 *
 * <p>Usage: {@code FuzzJson.object(data, List.of("name", "password"))}, or {@link #value(FuzzedDataProvider, List, int)}
 * for a frame's field.
 */
public final class FuzzJson {

    /** Deep enough to pass any sane depth limit (the chat's is 32), far from a parser's stack limit. */
    private static final int MAX_NESTING = 3_000;
    /** Longer than every module's body limit (4 KB) and frame limit (64 KB). */
    private static final int MAX_STRING = 70_000;

    private FuzzJson() {
    }

    /** An object whose keys are mostly {@code fields}, sometimes unknown, repeated or empty. */
    public static String object(FuzzedDataProvider data, List<String> fields) {
        return object(data, fields, 0);
    }

    private static String object(FuzzedDataProvider data, List<String> fields, int depth) {
        StringBuilder json = new StringBuilder("{");
        int count = data.consumeInt(0, fields.size() + 2);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            String key = switch (data.consumeInt(0, 5)) {
                case 0 -> data.consumeString(12);          // unknown (or empty) field
                case 1 -> "__proto__";
                default -> fields.isEmpty() ? "x" : data.pickValue(fields);
            };
            json.append(string(key)).append(':').append(value(data, fields, depth + 1));
        }
        return json.append('}').toString();
    }

    /** One JSON value of a generated type; {@code fields} name the keys of nested objects. */
    public static String value(FuzzedDataProvider data, List<String> fields, int depth) {
        if (depth > 4) {
            return scalar(data);
        }
        return switch (data.consumeInt(0, 9)) {
            case 0 -> object(data, fields, depth);
            case 1 -> {
                StringBuilder array = new StringBuilder("[");
                int count = data.consumeInt(0, 4);
                for (int i = 0; i < count; i++) {
                    array.append(i > 0 ? "," : "").append(value(data, fields, depth + 1));
                }
                yield array.append(']').toString();
            }
            case 2 -> {
                int levels = data.consumeInt(1, MAX_NESTING);
                boolean arrays = data.consumeBoolean();
                yield arrays ? "[".repeat(levels) + "]".repeat(levels) : "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
            }
            default -> scalar(data);
        };
    }

    private static String scalar(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 13)) {
            case 0 -> "true";
            case 1 -> "null";
            case 2 -> Long.toString(data.consumeLong());
            case 3 -> "-" + "9".repeat(data.consumeInt(1, 400));                      // beyond every integer type
            case 4 -> "1e" + data.consumeInt(-999_999, 999_999);                        // beyond double's range
            case 5 -> data.pickValue(List.of("-0", "0.0e-400", "1.5", "NaN", "Infinity", "01", "1.", ".5", "+1", "0x10"));
            case 6 -> string("x".repeat(data.consumeInt(0, MAX_STRING)));
            case 7 -> string(String.valueOf((char) data.consumeInt(0xD800, 0xDFFF)));   // a lone surrogate, raw
            case 8 -> "\"\\u" + Integer.toHexString(data.consumeInt(0xD800, 0xDFFF)) + "\""; // a lone surrogate, escaped
            case 9 -> "\"" + data.consumeAsciiString(20) + "\"";                        // unescaped quotes, controls
            case 10 -> data.consumeAsciiString(10);                                     // not JSON at all
            default -> string(data.consumeString(40));
        };
    }

    /** A JSON string of {@code text}, escaped as a correct encoder would (surrogates are left as they are). */
    public static String string(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
