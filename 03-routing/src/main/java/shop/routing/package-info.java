/** The shared wiring (the broker's connections, the topology, the live page's log, the consumer guard) and the HTTP API with its plumbing. */
package shop.routing;
