/**
 * What an integration plugs into the PostgreSQL store: where connections come from ({@link
 * dev.eventstore.postgres.spi.ConnectionAccess}) and what runs after each append in its transaction ({@link
 * dev.eventstore.postgres.spi.AppendListener}). The CDI extension uses it to join JTA transactions and run inline
 * projections; application code does not need it.
 */
package dev.eventstore.postgres.spi;
