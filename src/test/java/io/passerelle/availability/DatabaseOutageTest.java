package io.passerelle.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures are "the database is away" (503, try again) and which stay the request's or the code's. */
class DatabaseOutageTest {

    @Test
    void outagesAreFoundWhereverTheyAreWrapped() {
        SQLTransientConnectionException poolTimeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 1000ms");
        assertThat(DatabaseOutage.causedBy(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                poolTimeout))).isTrue();
        // A TransactionTemplate's failure to begin keeps the pool's exception only as its cause.
        assertThat(DatabaseOutage.causedBy(new CannotCreateTransactionException("Could not open JDBC Connection",
                poolTimeout))).isTrue();
        // Inside an OAuth error (a JWT validator's store failing), it still is an outage, not invalid_client.
        assertThat(DatabaseOutage.causedBy(new OAuth2AuthenticationException(new OAuth2Error("invalid_client"),
                new IllegalStateException(new QueryTimeoutException("timeout"))))).isTrue();
        assertThat(DatabaseOutage.causedBy(new RuntimeException(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("canceling statement due to statement timeout", "57014")))
                .isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
    }

    @Test
    void aRequestsOwnFaultOrABugIsNotAnOutage() {
        assertThat(DatabaseOutage.causedBy(new DuplicateKeyException("duplicate key"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new DataIntegrityViolationException("value too long",
                new SQLException("value too long for type character varying(255)", "22001")))).isFalse();
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(null)).isFalse();
        RuntimeException loop = new RuntimeException("self");
        RuntimeException outer = new RuntimeException(loop);
        loop.initCause(outer); // a cause cycle ends the walk instead of looping
        assertThat(DatabaseOutage.causedBy(outer)).isFalse();
    }

    @Test
    void portalsGetServerErrorWithRetryAfter() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        DatabaseOutage.writeJson(response, "PSL-ABCDEFGH");
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"server_error\",\"error_description\":"
                + "\"The service is temporarily unavailable; try again in a few minutes.\",\"reference\":\"PSL-ABCDEFGH\"}");
    }
}
