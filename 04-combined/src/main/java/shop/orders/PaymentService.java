package shop.orders;

import java.util.logging.Logger;

/**
 * The payment step: charges an order once, whatever number of times its command arrives, and
 * refunds it when the customer cancels. Payments are tokens from the payment provider's page:
 * a card number never reaches the shop. {@code tok_declined} is the provider's test token for a
 * declined card.
 */
public class PaymentService extends StepService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class.getName());
    public static final String DECLINED_TOKEN = "tok_declined";
    /** The provider's test token for an outage: every attempt to charge it fails (failure lab 5). */
    public static final String UNAVAILABLE_TOKEN = "tok_unavailable";

    private final Effects effects;

    public PaymentService(Rabbit rabbit, BrokerSetup setup, ShopSettings settings) {
        super(Step.PAYMENT, rabbit, setup, settings);
        this.effects = new Effects(settings.dataDir(), "payment");
    }

    // tag::charge[]
    @Override
    protected void handle(Command command, Outcome outcome) throws Exception {
        Catalog.Item item = Catalog.find(command.item()).orElseThrow();
        if (command.name().equals("refund")) {
            work();
            if (effects.once("refund", command.orderId(), item.price().toPlainString())) {
                LOG.info(" [x] Refunded " + item.price() + " for order=" + command.orderId());
            }
            outcome.progress(Progress.of(command, Stage.REFUNDED, "Refunded €" + item.price() + ". The order is cancelled."));
            return;
        }
        // tag::same-order[]
        // The page's order id is the order: its first charge command says what the order is. Another
        // order under the same id (two instances racing with different bodies) is refused, never charged.
        String order = command.customer() + " " + command.item() + " " + command.payment();
        if (!effects.once("order", command.orderId(), order)
                && !effects.read("order", command.orderId()).orElseThrow().equals(order)) {
            throw new Refused("the order id " + command.orderId() + " was placed before with another body");
        }
        // end::same-order[]
        outcome.progress(Progress.of(command, Stage.PLACED, "Order received: " + item.name() + ", €" + item.price()));
        work();
        if (UNAVAILABLE_TOKEN.equals(command.payment())) {
            throw new IllegalStateException("the payment provider is unavailable");
        }
        if (DECLINED_TOKEN.equals(command.payment())) {
            outcome.progress(Progress.of(command, Stage.DECLINED,
                    "Your card was declined. Nothing was charged and nothing reserved."));
            return;
        }
        // The effect is recorded once; the outcome is published every time, because a redelivery
        // may follow a crash that came after the charge but before the acknowledgement.
        // tag::charge-once[]
        if (effects.once("charge", command.orderId(), item.price().toPlainString())) {
            effects.append("charged.log", command.orderId() + " " + item.price()); // the provider's statement
            LOG.info(" [x] Charged " + item.price() + " for order=" + command.orderId());
        } else {
            LOG.info(" [=] Already charged order=" + command.orderId() + ": not charging twice");
        }
        outcome.progress(Progress.of(command, Stage.PAID, "Paid €" + item.price()));
        outcome.command(command.next("reserve"));
        // end::charge-once[]
    }
    // end::charge[]
}
