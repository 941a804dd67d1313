package io.passerelle.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LoaTest {

    @Test
    void urisAndNames() {
        assertThat(Loa.SUBSTANTIAL.uri()).isEqualTo("http://eidas.europa.eu/LoA/substantial");
        assertThat(Loa.fromUri("http://eidas.europa.eu/LoA/high")).isEqualTo(Loa.HIGH);
        assertThat(Loa.fromName("low")).isEqualTo(Loa.LOW);
        assertThat(Loa.fromName("Substantial")).isEqualTo(Loa.SUBSTANTIAL);
        assertThatIllegalArgumentException().isThrownBy(() -> Loa.fromName("medium"));
        assertThatIllegalArgumentException().isThrownBy(() -> Loa.fromUri("http://eidas.europa.eu/LoA/HIGH"));
    }

    @Test
    void ordering() {
        assertThat(Loa.HIGH.satisfies(Loa.SUBSTANTIAL)).isTrue();
        assertThat(Loa.SUBSTANTIAL.satisfies(Loa.SUBSTANTIAL)).isTrue();
        assertThat(Loa.LOW.satisfies(Loa.SUBSTANTIAL)).isFalse();
    }
}
