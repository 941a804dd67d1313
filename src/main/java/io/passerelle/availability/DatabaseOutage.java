package io.passerelle.availability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Tells a database that is away (unreachable, restarting, too slow to answer within the timeouts of
 * application.yml) from a request's own fault, and what every caller is told then: 503, try again
 * later. Only the cause chain is read, so the answer is the same whichever layer wrapped the failure
 * (Spring's translation, a transaction manager, Spring Authorization Server's providers).
 */
public final class DatabaseOutage {

    /** Seconds a caller is asked to wait (Retry-After): about what a database restart or fail-over takes. */
    public static final int RETRY_AFTER_SECONDS = 30;

    /** Request attribute: the reference code the outage was logged under, shown on the citizen's page. */
    public static final String REFERENCE_ATTRIBUTE = "passerelle.database-outage.reference";

    static final String DESCRIPTION = "The service is temporarily unavailable; try again in a few minutes.";

    private DatabaseOutage() {
    }

    /** Whether {@code failure}, or anything that caused it, says the database could not be reached in time. */
    public static boolean causedBy(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (isOutage(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(Throwable t) {
        // CannotGetJdbcConnectionException and every "connection failed" translation; QueryTimeoutException;
        // RecoverableDataAccessException (a connection dropped mid-statement).
        // A transaction whose rollback failed too (the connection is gone): what failed first is the outage.
        if (t instanceof TransactionSystemException failed && failed.getApplicationException() != null
                && causedBy(failed.getApplicationException())) {
            return true;
        }
        if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                || t instanceof RecoverableDataAccessException) {
            return true;
        }
        // Hikari's connection-timeout is an SQLTransientConnectionException; untranslated JDBC failures
        // (a transaction manager's CannotCreateTransactionException keeps them as its cause) land here.
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            // 08: connection exception (pgjdbc's socket timeout is 08006); 57014: statement_timeout cancelled
            // the query; 57P01-03: the server is shutting down or starting; 53300: too many connections.
            return state.startsWith("08") || state.equals("57014") || state.startsWith("57P") || state.equals("53300");
        }
        return false;
    }

    /**
     * The API answer (RFC 6749 5.2 shape): {@code server_error}, 503 and Retry-After, so that a portal
     * retries later instead of treating its request, its code or its credentials as bad.
     */
    public static void writeJson(HttpServletResponse response, String reference) throws IOException {
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"server_error\",\"error_description\":\"" + DESCRIPTION
                + "\",\"reference\":\"" + reference + "\"}");
        response.flushBuffer();
    }
}
