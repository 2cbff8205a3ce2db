/** The warehouse: a plain AMQP service, without JMS, that exchanges picks and answers with the JMS shop. */
package shop.routing.warehouse;
