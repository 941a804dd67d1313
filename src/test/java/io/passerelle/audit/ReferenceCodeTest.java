package io.passerelle.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ReferenceCodeTest {

    @RepeatedTest(20)
    void everyCodeMadeIsWellFormedAndHasNoLookAlikes() {
        String code = ReferenceCode.next();
        assertThat(ReferenceCode.isWellFormed(code)).as(code).isTrue();
        assertThat(code.substring(4)).doesNotContain("0", "O", "1", "I", "L");
    }

    @Test
    void anythingElseIsNotAReference() {
        assertThat(ReferenceCode.isWellFormed(null)).isFalse();
        assertThat(ReferenceCode.isWellFormed("PSL-7PNWWXR")).isFalse();
        assertThat(ReferenceCode.isWellFormed("PSL-7PNWWXR0")).as("0 is a look-alike, never made").isFalse();
        assertThat(ReferenceCode.isWellFormed("psl-7PNWWXRA")).isFalse();
        assertThat(ReferenceCode.isWellFormed("' OR 1=1 --")).isFalse();
        assertThat(ReferenceCode.isWellFormed("PSL-7PNWWXRA")).isTrue();
    }
}
