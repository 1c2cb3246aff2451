package dev.eventstore.postgres;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated PostgreSQL name: a table optionally qualified by its schema ({@code audit.events}), or a channel.
 *
 * <p>Only lower-case unquoted-style identifiers are accepted ({@code [a-z_][a-z0-9_]*}, at most 40 characters so
 * that derived index and constraint names stay within PostgreSQL's 63-character limit). Names are always rendered
 * quoted, so reserved words are safe too. Nothing the user typed is ever concatenated into SQL without passing here.
 *
 * @param schema the schema, or {@code null} for the connection's search path
 * @param name   the unqualified name
 */
public record SqlName(String schema, String name) {

    /** Longest accepted identifier; leaves room for suffixes such as {@code _stream_version_key}. */
    public static final int MAX_LENGTH = 40;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public SqlName {
        if (schema != null) {
            requireIdentifier(schema, "schema");
        }
        requireIdentifier(name, "name");
    }

    /** Parses {@code name} or {@code schema.name}. */
    public static SqlName parse(String qualifiedName) {
        if (qualifiedName == null || qualifiedName.isBlank()) {
            throw new IllegalArgumentException("SQL name must not be blank");
        }
        int dot = qualifiedName.indexOf('.');
        if (dot < 0) {
            return new SqlName(null, qualifiedName);
        }
        if (qualifiedName.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("SQL name '" + qualifiedName
                    + "' has more than one dot; use name or schema.name");
        }
        return new SqlName(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    /** An unqualified identifier, for example a notification channel. */
    public static SqlName unqualified(String identifier) {
        return new SqlName(null, identifier);
    }

    public Optional<String> schemaName() {
        return Optional.ofNullable(schema);
    }

    /** The quoted, possibly schema-qualified name, ready for SQL text. */
    public String sql() {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }

    /** The unquoted name with a suffix, for constraint names that are never schema-qualified. */
    public String derived(String suffix) {
        return name + suffix;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    private static void requireIdentifier(String value, String part) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException("SQL " + part + " '" + value + "' is not a valid identifier: use lower-case"
                    + " letters, digits and underscores, starting with a letter or underscore");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("SQL " + part + " '" + value + "' is longer than " + MAX_LENGTH
                    + " characters");
        }
    }
}
