package io.passerelle.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OIDC Core 8.1: one subject per sector, stable, unlinkable across sectors; public only when configured. */
class PairwiseSubjectsTest {

    private final PairwiseSubjects subjects = new PairwiseSubjects("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void stableWithinASectorDifferentAcrossSectors() {
        String city = subjects.subjectFor("city-of-example", "c-1", true);
        assertThat(subjects.subjectFor("city-of-example", "c-1", true)).isEqualTo(city);
        assertThat(new PairwiseSubjects("0123456789abcdef0123456789abcdef".getBytes())
                .subjectFor("city-of-example", "c-1", true)).as("across restarts").isEqualTo(city);
        assertThat(subjects.subjectFor("region", "c-1", true)).isNotEqualTo(city);
        assertThat(subjects.subjectFor("city-of-example", "c-2", true)).isNotEqualTo(city);
        assertThat(city).doesNotContain("c-1");
    }

    @Test
    void publicSubjectIsTheCitizenId() {
        assertThat(subjects.subjectFor("any", "c-1", false)).isEqualTo("c-1");
    }
}
