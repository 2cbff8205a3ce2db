package shop.routing.ticks;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** One market price tick, routed by {@code tick.<venue>.<symbol>}, for example {@code tick.xnas.AAPL}. */
public record Tick(String venue, String symbol, BigDecimal price) {

    public static final Pattern VENUE = Pattern.compile("[a-z]{2,8}");
    public static final Pattern SYMBOL = Pattern.compile("[A-Z]{1,8}");

    public String key() {
        return "tick." + venue + "." + symbol;
    }
}
