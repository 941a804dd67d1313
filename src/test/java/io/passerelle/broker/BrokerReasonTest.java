package io.passerelle.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The page a citizen sees for a failed login: the connector's own explanation when it gives one (an eID card's
 * refusals, mapped in connector.eid.EidRefusals and tested there), else the page of the failure's kind.
 */
class BrokerReasonTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "CANCELLED, cancelled",
            "UNAVAILABLE, unavailable",
            "UPSTREAM_ERROR, upstream-error",
            "INVALID_RESPONSE, invalid-response",
            "LOA_NOT_MET, loa-not-met",
            "MISCONFIGURED, misconfigured",
    })
    void withoutAnExplanationTheKindPicksThePage(Kind kind, String reason) {
        assertThat(Broker.reason(new ConnectorException(kind, "SomeCheck", "refused"))).isEqualTo(reason);
    }

    @Test
    void theConnectorsExplanationWins() {
        assertThat(Broker.reason(new ConnectorException(Kind.INVALID_RESPONSE, "EidCertificateWithinValidity",
                "card-expired", "certificate expired", null))).isEqualTo("card-expired");
    }
}
