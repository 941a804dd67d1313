package io.passerelle.nodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Two nodes on one PostgreSQL database, browser sessions in Redis (passerelle.sessions.store: redis) on
 * the local server (127.0.0.1:6379, or PASSERELLE_TEST_REDIS_HOST/PORT). Fails under CI=true when Redis
 * is not running; skipped on a developer machine without it.
 */
class RedisTwoNodesTest extends TwoNodesContract {

    static final String HOST = System.getenv().getOrDefault("PASSERELLE_TEST_REDIS_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(System.getenv().getOrDefault("PASSERELLE_TEST_REDIS_PORT", "6379"));

    @Override
    Map<String, Object> clusterSettings() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("Redis is required under CI=true but " + HOST + ":" + PORT + " is unreachable", e);
            }
            Assumptions.abort("Redis not reachable at " + HOST + ":" + PORT);
        }
        Map<String, Object> settings = new LinkedHashMap<>(PostgresTwoNodesTest.Cluster.onPostgres("redis"));
        settings.put("spring.data.redis.host", HOST);
        settings.put("spring.data.redis.port", PORT);
        return settings;
    }
}
