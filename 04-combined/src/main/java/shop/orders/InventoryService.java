package shop.orders;

import java.util.logging.Logger;

/**
 * The inventory step: reserves the order's item. A back-ordered item is held, and the workflow
 * waits for the customer's answer, which arrives later as an {@code answer} command: accept the
 * delay (on to shipping) or cancel (release the reservation, then refund: the saga's compensation).
 */
public class InventoryService extends StepService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class.getName());
    public static final String QUESTION = "Back-ordered: accept a 3-day delay, or cancel?";

    private final Effects effects;

    public InventoryService(Rabbit rabbit, BrokerSetup setup, ShopSettings settings) {
        super(Step.INVENTORY, rabbit, setup, settings);
        this.effects = new Effects(settings.dataDir(), "inventory");
    }

    // tag::reserve[]
    @Override
    protected void handle(Command command, Outcome outcome) throws Exception {
        Catalog.Item item = Catalog.find(command.item()).orElseThrow();
        if (command.name().equals("answer")) {
            answer(command, outcome);
            return;
        }
        work();
        if (item.inStock()) {
            effects.once("reservation", command.orderId(), "reserved");
            outcome.progress(Progress.of(command, Stage.RESERVED, "Reserved: " + item.name()));
            outcome.command(command.next("ship"));
        } else {
            effects.once("reservation", command.orderId(), "held");
            // The workflow stops here: the customer's answer is the next command for this order.
            outcome.progress(Progress.of(command, Stage.BACKORDERED, QUESTION));
        }
    }

    // tag::answer[]
    private void answer(Command command, Outcome outcome) throws Exception {
        if (!effects.exists("reservation", command.orderId())) {
            LOG.warning(" [!] An answer for order=" + command.orderId() + ", which asked nothing: ignored");
            return;
        }
        // The first answer decides; a second one (another tab, another instance) gets the same outcome.
        if (!effects.once("answer", command.orderId(), command.choice())) {
            LOG.info(" [=] Order=" + command.orderId() + " was already answered: keeping the first answer");
        }
        String decided = effects.read("answer", command.orderId()).orElseThrow();
        if (decided.equals("accept")) {
            outcome.progress(Progress.of(command, Stage.DELAY_ACCEPTED, "Delay accepted: it ships in 3 days"));
            outcome.command(command.next("ship"));
        } else {
            // Compensation, in reverse order of the steps: release what inventory holds, then refund.
            effects.once("release", command.orderId(), "released");
            outcome.progress(Progress.of(command, Stage.CANCELLED, "Cancelled: the reservation is released"));
            outcome.command(command.next("refund"));
        }
    }
    // end::answer[]
    // end::reserve[]
}
