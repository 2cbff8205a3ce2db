package shop.orders;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** The shop's three items; the poster is back-ordered, so ordering it asks the customer a question. */
public final class Catalog {

    public record Item(String sku, String name, BigDecimal price, boolean inStock) {
    }

    public static final Map<String, Item> ITEMS = Map.of(
            "mug", new Item("mug", "Course mug", new BigDecimal("12.00"), true),
            "lamp", new Item("lamp", "Desk lamp", new BigDecimal("49.00"), true),
            "poster", new Item("poster", "Architecture poster", new BigDecimal("25.00"), false));

    private Catalog() {
    }

    public static Optional<Item> find(String sku) {
        return Optional.ofNullable(sku).map(ITEMS::get);
    }
}
