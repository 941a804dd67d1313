package io.passerelle.nodes;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.passerelle.testsupport.PostgresDatabase;

/** Two nodes on one PostgreSQL database, browser sessions in the same database (Spring Session JDBC, the default). */
class PostgresTwoNodesTest extends TwoNodesContract {

    @Override
    Map<String, Object> clusterSettings() {
        return Cluster.onPostgres("jdbc");
    }

    /** What every node of one test cluster shares. */
    static final class Cluster {
        static Map<String, Object> onPostgres(String sessionStore) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return Map.of("spring.datasource.url", PostgresDatabase.freshSchemaUrl(),
                    "spring.datasource.username", PostgresDatabase.USER, "spring.datasource.password", "",
                    "passerelle.keys.master-key", Base64.getEncoder().encodeToString(key),
                    "passerelle.sessions.store", sessionStore);
        }
    }
}
