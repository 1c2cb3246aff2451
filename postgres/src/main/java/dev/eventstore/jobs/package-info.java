/**
 * Maintenance jobs on the event log: {@link dev.eventstore.jobs.RetentionManager scheduled, opt-in retention} and
 * {@link dev.eventstore.jobs.ReplayService replay into a handler}, each keeping figures as immutable snapshots, and
 * {@link dev.eventstore.jobs.MetricsBinding optional metrics registration}.
 */
package dev.eventstore.jobs;
