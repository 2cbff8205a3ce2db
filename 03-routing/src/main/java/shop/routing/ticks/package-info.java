/** Market ticks: high-volume data ingested on a topic exchange of its own, where an unmatched tick is dropped on purpose. */
package shop.routing.ticks;
