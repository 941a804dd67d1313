package io.passerelle.issuer;

import io.passerelle.testsupport.PostgresDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Malformed and hostile requests on a real PostgreSQL server. */
class PostgresBadInputTest extends BadInputContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
