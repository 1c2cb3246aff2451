/**
 * Publishing committed events to a RabbitMQ topic exchange: {@link dev.eventstore.rabbitmq.RabbitMqPublisher}, an
 * asynchronous projection whose checkpoint advances only after the broker confirmed every message of the batch.
 */
package dev.eventstore.rabbitmq;
