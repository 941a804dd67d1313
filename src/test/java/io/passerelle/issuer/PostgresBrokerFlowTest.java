package io.passerelle.issuer;

import io.passerelle.testsupport.PostgresDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Brokered sign-in on a real PostgreSQL server. */
class PostgresBrokerFlowTest extends BrokerFlowContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
