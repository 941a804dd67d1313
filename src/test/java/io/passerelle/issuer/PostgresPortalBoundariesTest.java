package io.passerelle.issuer;

import io.passerelle.testsupport.PostgresDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Issue 11's portal boundaries on a real PostgreSQL server (row locks of the parallel refreshes). */
class PostgresPortalBoundariesTest extends PortalBoundariesContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
