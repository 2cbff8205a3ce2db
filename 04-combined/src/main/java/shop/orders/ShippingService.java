package shop.orders;

/** The shipping step: hands the order to the carrier once. While it is down, orders wait in its queue. */
public class ShippingService extends StepService {

    private final Effects effects;

    public ShippingService(Rabbit rabbit, BrokerSetup setup, ShopSettings settings) {
        super(Step.SHIPPING, rabbit, setup, settings);
        this.effects = new Effects(settings.dataDir(), "shipping");
    }

    @Override
    protected void handle(Command command, Outcome outcome) throws Exception {
        Catalog.Item item = Catalog.find(command.item()).orElseThrow();
        work();
        effects.once("shipment", command.orderId(), item.sku());
        outcome.progress(Progress.of(command, Stage.SHIPPED,
                "Shipped: " + item.name() + ", parcel " + command.orderId().substring(0, 8)));
    }
}
