package io.passerelle.issuer;

import io.passerelle.testsupport.PostgresDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same portal journey on a real PostgreSQL server (production's database). */
class PostgresIssuerFlowTest extends IssuerFlowContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
