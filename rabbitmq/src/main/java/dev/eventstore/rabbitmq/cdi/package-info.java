/**
 * The publisher in a Jakarta EE container: {@code eventstore.rabbitmq.*} keys read by a provider that eventstore-cdi's
 * extension finds with {@link java.util.ServiceLoader}. Applications do not use these types; they set the keys.
 */
package dev.eventstore.rabbitmq.cdi;
