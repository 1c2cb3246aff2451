/**
 * Public values and contracts of the event store: {@link dev.eventstore.Event events} before and
 * {@link dev.eventstore.PersistedEvent after} persistence, {@link dev.eventstore.ExpectedVersion optimistic concurrency},
 * the {@link dev.eventstore.EventStore store} itself and its errors.
 *
 * <p>Everything here is implementation-free: the PostgreSQL store and its Jakarta EE integration live in
 * {@code eventstore-cdi}.
 */
package dev.eventstore;
