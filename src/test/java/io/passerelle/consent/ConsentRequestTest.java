package io.passerelle.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A consent question may be answered only by the citizen it was asked to, and only while it is fresh. */
class ConsentRequestTest {

    private static final Instant ASKED_UNTIL = Instant.parse("2026-11-22T10:10:00Z");
    private final ConsentRequest question = new ConsentRequest("q1", "citizen-a", "city", List.of("given_name"),
            "/oauth2/authorize?client_id=city", "https://city.example/cb", "s", ASKED_UNTIL);

    @Test
    void theCitizenAskedMayAnswerBeforeItExpires() {
        assertThat(question.refusalFor("citizen-a", ASKED_UNTIL.minusSeconds(1))).isNull();
    }

    @Test
    void anotherCitizenOrNoSignInIsRefused() {
        assertThat(question.refusalFor("citizen-b", ASKED_UNTIL.minusSeconds(60))).isEqualTo("other-citizen");
        assertThat(question.refusalFor(null, ASKED_UNTIL.minusSeconds(60))).isEqualTo("other-citizen");
    }

    @Test
    void anExpiredQuestionIsRefused() {
        assertThat(question.refusalFor("citizen-a", ASKED_UNTIL)).isEqualTo("expired");
        assertThat(question.refusalFor("citizen-a", ASKED_UNTIL.plusSeconds(3600))).isEqualTo("expired");
    }
}
