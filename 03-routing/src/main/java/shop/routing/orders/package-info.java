/** Order routing: order events published to a topic exchange, and the services that subscribe to them by pattern and selector. */
package shop.routing.orders;
