package shop.orders;

/**
 * Where an order is, as pushed to its customer. The number orders the stages of one order: a web
 * instance never pushes a stage whose number is not above the last one it pushed for that order,
 * which drops every duplicate and every late copy, whichever instance or service produced it.
 */
public enum Stage {
    PLACED(1, false),
    PAID(2, false),
    DECLINED(2, true),
    RESERVED(3, false),
    BACKORDERED(3, false),
    DELAY_ACCEPTED(4, false),
    CANCELLED(4, false),
    SHIPPED(5, true),
    REFUNDED(5, true);

    private final int number;
    private final boolean last;

    Stage(int number, boolean last) {
        this.number = number;
        this.last = last;
    }

    public int number() {
        return number;
    }

    /** The order's workflow is over. */
    public boolean last() {
        return last;
    }

    /** The lower-case name the page and the log markers use: "delay_accepted". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
