package io.passerelle.retention;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rows of one table that may go, as the package owning the table defines them: the purge
 * ({@link RetentionJob}) only runs the deletion, in small batches. Each owning package declares its
 * {@code ExpiredRows} beans next to the store that writes the table, so the rule for "expired" lives
 * with the code that knows what a row means.
 *
 * @param name      the label in logs and in the {@code passerelle.retention.purged} counter (table, and what kind of rows)
 * @param table     the table
 * @param key       its primary key columns: each batch deletes {@code WHERE (key) IN (SELECT key ... LIMIT n)}
 * @param condition a SQL condition with one {@code ?}, bound to the cut-off; it should use an index
 * @param cutoff    the cut-off for the current time, or empty to keep every row (retention switched off)
 * @param epochMillis the condition's column holds milliseconds since the epoch (Spring Session's), not a timestamp
 */
public record ExpiredRows(String name, String table, List<String> key, String condition,
                          Function<Instant, Optional<Instant>> cutoff, boolean epochMillis) {

    public ExpiredRows {
        Objects.requireNonNull(name);
        Objects.requireNonNull(table);
        key = List.copyOf(key);
        if (key.isEmpty() || condition.chars().filter(c -> c == '?').count() != 1) {
            throw new IllegalArgumentException(name + ": a key and exactly one ? in the condition");
        }
    }

    /** Rows whose {@code condition} holds for the instant {@code age} before now. */
    public static ExpiredRows olderThan(String name, String table, List<String> key, String condition,
                                        java.time.Duration age) {
        return new ExpiredRows(name, table, key, condition, now -> Optional.of(now.minus(age)), false);
    }

    /** The same rows, their condition's column in milliseconds since the epoch. */
    public ExpiredRows inEpochMillis() {
        return new ExpiredRows(name, table, key, condition, cutoff, true);
    }

    /**
     * Kept for a retention period; a zero period keeps them forever (for an operator who archives the
     * table by other means).
     */
    public static ExpiredRows retained(String name, String table, List<String> key, String condition,
                                       java.time.Duration retention) {
        return new ExpiredRows(name, table, key, condition,
                now -> retention.isZero() ? Optional.empty() : Optional.of(now.minus(retention)), false);
    }

    /**
     * One batch: PostgreSQL and H2 both accept {@code LIMIT} in an {@code IN} sub-query (PostgreSQL has no
     * {@code DELETE ... LIMIT}), and a row-value {@code IN} for composite keys.
     */
    String deleteBatch() {
        String columns = String.join(", ", key);
        String keyed = key.size() == 1 ? columns : "(" + columns + ")";
        return "DELETE FROM " + table + " WHERE " + keyed + " IN (SELECT " + columns + " FROM " + table
                + " WHERE " + condition + " LIMIT ?)";
    }
}
