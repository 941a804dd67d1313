package io.passerelle.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.passerelle.retention.RetentionJob;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the benchmark measures besides time: the size of the gateway's database (the H2 file, or the
 * tables and indexes of the PostgreSQL schema) and this process's resident memory.
 */
final class Storage {

    private final JdbcClient jdbc;
    private final Path h2File;
    private final Runnable purge;

    /** @param h2File the H2 database file, or null for PostgreSQL (measured by the server) */
    Storage(ConfigurableApplicationContext gateway, Path h2File) {
        this(gateway.getBean(JdbcClient.class), h2File, () -> gateway.getBean(RetentionJob.class).run());
    }

    /**
     * @param jdbc   a connection to the gateway's database (for a gateway in its own process: H2's
     *               automatic server mode)
     * @param purge  runs (or waits for) the gateway's purge of expired rows
     */
    Storage(JdbcClient jdbc, Path h2File, Runnable purge) {
        this.jdbc = jdbc;
        this.h2File = h2File;
        this.purge = purge;
    }

    /**
     * Bytes the tables and their indexes take now: H2's own page count per table (its file only grows:
     * freed pages are reused before the file is extended, so the file size says little over a short
     * run), or PostgreSQL's relation sizes (with TOAST and indexes) in the schema.
     */
    long bytes() {
        String sql = h2File != null
                ? """
                  SELECT COALESCE(SUM(DB_OBJECT_TOTAL_SIZE('TABLE', TABLE_SCHEMA, TABLE_NAME)), 0)
                  FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'"""
                : """
                  SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'""";
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** Bytes per table (with its indexes), largest first: where the growth per login goes. */
    java.util.Map<String, Long> byTable() {
        String sql = h2File != null
                ? """
                  SELECT LOWER(TABLE_NAME), DB_OBJECT_TOTAL_SIZE('TABLE', TABLE_SCHEMA, TABLE_NAME) AS b
                  FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY b DESC"""
                : """
                  SELECT c.relname, pg_total_relation_size(c.oid) AS b FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'
                  ORDER BY b DESC""";
        java.util.Map<String, Long> sizes = new java.util.LinkedHashMap<>();
        jdbc.sql(sql).query((rs, n) -> sizes.put(rs.getString(1), rs.getLong(2))).list();
        return sizes;
    }

    /** The H2 file's size (0 for PostgreSQL). */
    long fileBytes() {
        try {
            return h2File != null && Files.exists(h2File) ? Files.size(h2File) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The size once the purge has run (what a node does every minute). */
    long afterPurge() {
        purge.run();
        return bytes();
    }

    /**
     * -Dbench.sql-stats=true (H2 only): the database's own statement statistics from here on, printed by
     * {@link #printStatements} as executions and milliseconds per login: what each login asks of the database.
     */
    void startStatementStatistics() {
        if (h2File != null && Boolean.getBoolean("bench.sql-stats")) {
            jdbc.sql("SET QUERY_STATISTICS_MAX_ENTRIES 500").update();
            jdbc.sql("SET QUERY_STATISTICS TRUE").update();
        }
    }

    void printStatements(long logins) {
        if (h2File == null || !Boolean.getBoolean("bench.sql-stats") || logins == 0) {
            return;
        }
        System.out.println("statements per login (H2 statistics since the warm-up): executions, ms, statement");
        jdbc.sql("""
                SELECT SQL_STATEMENT, EXECUTION_COUNT, CUMULATIVE_EXECUTION_TIME FROM INFORMATION_SCHEMA.QUERY_STATISTICS
                ORDER BY EXECUTION_COUNT DESC""").query((rs, n) -> {
            double count = rs.getLong(2) / (double) logins;
            if (count >= 0.01) {
                System.out.printf("  %6.2f %7.3f  %s%n", count, rs.getDouble(3) / logins,
                        rs.getString(1).replaceAll("\\s+", " ").substring(0, Math.min(150, rs.getString(1).length())));
            }
            return null;
        }).list();
    }

    /** This JVM's resident set (Linux), in MiB; -1 elsewhere. */
    static long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
