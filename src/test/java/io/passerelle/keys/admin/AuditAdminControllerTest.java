package io.passerelle.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditType;
import org.junit.jupiter.api.Test;

/** Pages of the audit trail: each next page starts where no event is lost and none repeats. */
class AuditAdminControllerTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aShortListIsTheLastPage() {
        AuditAdminController.Page page = AuditAdminController.page(events(0, 1, 2), 5);
        assertThat(page.events()).hasSize(3);
        assertThat(page.next()).isNull();
    }

    @Test
    void eventsOfTheBoundaryInstantMoveWholeToTheNextPage() {
        // limit 3, fetched 4: the 4th shares its instant with the 3rd, so the 3rd waits for the next page.
        AuditAdminController.Page page = AuditAdminController.page(events(0, 1, 2, 2), 3);
        assertThat(page.events()).extracting(AuditAdminController.Entry::occurredAt).containsExactly(at(0), at(1));
        assertThat(page.next()).isEqualTo(at(2));
    }

    @Test
    void aFullPageEndsBeforeTheNextInstant() {
        AuditAdminController.Page page = AuditAdminController.page(events(0, 1, 2, 3), 3);
        assertThat(page.events()).hasSize(3);
        assertThat(page.next()).isEqualTo(at(3));
    }

    @Test
    void anInstantWithMoreEventsThanAPageIsCutAndTheNextPageStartsAfterIt() {
        AuditAdminController.Page page = AuditAdminController.page(events(5, 5, 5, 5), 3);
        assertThat(page.events()).hasSize(3);
        assertThat(page.next()).isEqualTo(at(5).plusNanos(1000));
    }

    private static List<AuditEvent> events(int... seconds) {
        List<AuditEvent> events = new ArrayList<>();
        for (int s : seconds) {
            events.add(AuditEvent.of(AuditType.LOGIN_STARTED).actor("citizen").at(at(s)));
        }
        return events;
    }

    private static Instant at(int second) {
        return T.plusSeconds(second);
    }
}
