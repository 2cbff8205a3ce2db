/** Cache invalidation: a fanout broadcast that every server instance hears. */
package shop.routing.cache;
