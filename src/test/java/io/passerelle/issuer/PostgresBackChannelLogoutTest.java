package io.passerelle.issuer;

import io.passerelle.testsupport.PostgresDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Back-channel logout on a real PostgreSQL server. */
class PostgresBackChannelLogoutTest extends BackChannelLogoutContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
