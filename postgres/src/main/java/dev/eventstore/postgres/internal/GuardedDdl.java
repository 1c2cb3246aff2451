package dev.eventstore.postgres.internal;

import dev.eventstore.postgres.SqlName;

/**
 * DDL that looks in the catalog before it changes a table, so running the schema again on a store that is up to date
 * takes no table lock. {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} and {@code CREATE INDEX IF NOT EXISTS} lock the
 * table before they find there is nothing to do: the first waits for every open transaction on the table and, while
 * it waits, blocks every append and read behind it; the second blocks appends. A deployment that installs the schema
 * at each start, on several nodes at once, turned those waits into stalls and deadlocks.
 */
public final class GuardedDdl {

    private GuardedDdl() {
    }

    /**
     * Adds {@code column} to {@code table} with {@code definition} (type, nullability, default, checks) unless the
     * table has it.
     */
    public static String addColumnIfMissing(SqlName table, String column, String definition) {
        return """
                DO $add_column$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_attribute
                                    WHERE attrelid = '%1$s'::regclass AND attname = '%2$s' AND NOT attisdropped) THEN
                        ALTER TABLE %1$s ADD COLUMN IF NOT EXISTS %2$s %3$s;
                    END IF;
                END
                $add_column$;
                """.formatted(table.sql(), column, definition);
    }

    /**
     * Creates the index {@code table.derived(suffix)} on {@code table} with {@code definition} (what follows
     * {@code ON table}) unless the table's schema has a relation of that name.
     */
    public static String createIndexIfMissing(SqlName table, String suffix, String definition) {
        String index = table.derived(suffix);
        return """
                DO $create_index$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_class
                                    WHERE relname = '%2$s'
                                      AND relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = '%1$s'::regclass))
                    THEN
                        CREATE INDEX IF NOT EXISTS "%2$s" ON %1$s %3$s;
                    END IF;
                END
                $create_index$;
                """.formatted(table.sql(), index, definition);
    }
}
