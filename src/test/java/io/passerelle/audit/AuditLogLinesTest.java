package io.passerelle.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.passerelle.testsupport.MigratedDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an audit event writes to the log (README "Logs"): its reference code and type as MDC fields, which
 * Spring Boot's structured (JSON) logging turns into fields of the event; no citizen id, national number
 * or token in the line; and the listeners (the metrics) told of it.
 */
class AuditLogLinesTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("passerelle.audit");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void theReferenceIsAFieldAndThePersonIsNotInTheLine() {
        java.util.List<AuditEvent> heard = new java.util.ArrayList<>();
        AuditLog audit = new JdbcAuditLog(JdbcClient.create(MigratedDatabase.h2()),
                Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC), java.util.List.of(heard::add));
        audit.record(AuditEvent.of(AuditType.LOGIN_FAILED).actor("citizen").client("city-portal").connector("itsme")
                .citizen("c-4f2a9e").reference("PSL-ABCDEFGH").reason("upstream-error: nn 85073003328 refused"));

        ILoggingEvent line = lines.list.getFirst();
        assertThat(line.getMDCPropertyMap()).containsEntry("passerelle.reference", "PSL-ABCDEFGH")
                .containsEntry("event.action", "LOGIN_FAILED");
        assertThat(line.getFormattedMessage()).contains("PSL-ABCDEFGH", "city-portal", "itsme")
                .doesNotContain("c-4f2a9e", "85073003328");
        assertThat(org.slf4j.MDC.get("passerelle.reference")).as("the fields end with the line").isNull();
        assertThat(heard).extracting(AuditEvent::reference).containsExactly("PSL-ABCDEFGH");
    }
}
