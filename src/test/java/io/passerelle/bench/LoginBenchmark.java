package io.passerelle.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import io.passerelle.PasserelleApplication;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * BENCHMARK, not a test (its name does not end in Test, so `mvn verify` never runs it). Drives complete
 * brokered logins against a fast local upstream ({@link BenchUpstream}), each login a new citizen:
 * authorize → key chooser (idp_hint) → upstream → callback → resumed authorize → code → token → ID
 * token verified by Nimbus's {@code IDTokenValidator}, as a portal does. Gateway, upstream and driver
 * share this machine. Prints logins/s and p50/p95/p99 at concurrency 1, 8 and 32, then the hottest
 * methods sampled by Java Flight Recorder.
 *
 * <p>Run: {@code mvn test -Dtest=LoginBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (options in README.md).
 */
class LoginBenchmark {

    private static final String PORTAL = "bench-portal";
    private static final String HEADER = String.format("%-12s %8s %10s %9s %9s %9s %7s %12s %5s %5s %6s %8s %10s %12s",
            "concurrency", "logins", "logins/s", "p50 ms", "p95 ms", "p99 ms", "errors", "CPU ms/login", "JIT", "GC",
            "GC %", "RSS MiB", "DB B/login", "alloc KB/login");
    /** The gateway's database, measured for its growth per login (after a purge run). */
    private static Storage storage;

    /** Where CPU, threads, memory and allocation are read: this JVM, or a gateway in its own process. */
    private static Meter meter = Meter.THIS_JVM;
    private static final String PORTAL_SECRET = "portal-secret-" + UUID.randomUUID() + UUID.randomUUID();

    @Test
    void brokeredLogins() throws Exception {
        if (System.getProperty("bench.jars") != null) {
            jarsSideBySide(System.getProperty("bench.jars").split(","));
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String issuer = "http://localhost:" + port;
        Path config = Files.createTempDirectory("passerelle-bench");
        // -Dbench.nodes=2: two gateway nodes on one PostgreSQL database (a fresh schema of the local server),
        // every request of every login sent to the next node in turn (round robin, no stickiness).
        int nodes = Integer.getInteger("bench.nodes", 1);
        String database = nodes > 1 ? io.passerelle.testsupport.PostgresDatabase.freshSchemaUrl() : null;
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        long startNanos = System.nanoTime();
        try (BenchUpstream upstream = new BenchUpstream(); Profile profile = new Profile();
             ConfigurableApplicationContext gateway = startGateway(config, port, issuer, upstream, master, database);
             ConfigurableApplicationContext second = nodes > 1
                     ? startGateway(config, secondPort(), issuer, upstream, master, database) : null) {
            if (second != null) {
                NODE_PORTS.add(port);
                NODE_PORTS.add(second.getEnvironment().getProperty("local.server.port", Integer.class));
                System.out.println("two nodes on PostgreSQL, ports " + NODE_PORTS + ", round robin");
            }
            long contextMillis = (System.nanoTime() - startNanos) / 1_000_000;
            HttpResponse<String> discovery = BROWSERS.send(HttpRequest.newBuilder(
                    URI.create(issuer + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("start: context up after %d ms, discovery served (HTTP %d) after %d ms (in the benchmark's"
                            + " JVM, upstream started first; a separate start also pays the JVM's own boot)%n", contextMillis,
                    discovery.statusCode(), (System.nanoTime() - startNanos) / 1_000_000);
            System.out.printf("JVM: max heap %d MiB (-Xmx of the test JVM: -DargLine=\"...\", README \"Benchmark\"); RSS,"
                            + " GC and CPU below are of the whole JVM (gateway, upstream and driver)%n",
                    Runtime.getRuntime().maxMemory() >> 20);
            storage = new Storage(gateway, database == null ? config.resolve("db.mv.db") : null);
            JWKSet jwks = JWKSet.load(URI.create(issuer + "/oauth2/jwks").toURL());
            IDTokenValidator validator = new IDTokenValidator(new Issuer(issuer), new ClientID(PORTAL),
                    new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)), null);
            phases(issuer, validator).forEach(System.out::println);
            profile.printHottest(25);
        } finally {
            // The H2 database of a run grows to hundreds of megabytes: not left behind in the temp folder.
            try (var files = Files.walk(config)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * {@code -Dbench.jars=old.jar,new.jar}: each jar in turn runs as a gateway process of its own, with
     * the pom's {@code passerelle.jvm} options (or {@code -Dbench.jvm}), driven by this JVM (driver and
     * upstream): start time, then the same phases as in-process, with CPU, GC, JIT and RSS of the
     * gateway's process alone. The reports are printed together at the end.
     */
    private static void jarsSideBySide(String[] jars) throws Exception {
        List<String> jvm = System.getProperty("bench.jvm") != null
                ? List.of(System.getProperty("bench.jvm").trim().split("\\s+")) : ExternalGateway.buildJvmOptions();
        java.util.Map<String, List<String>> reports = new java.util.LinkedHashMap<>();
        try (BenchUpstream upstream = new BenchUpstream()) {
            for (String jar : jars) {
                int port = secondPort();
                String issuer = "http://localhost:" + port;
                Path config = Files.createTempDirectory("passerelle-bench");
                byte[] master = new byte[32];
                new SecureRandom().nextBytes(master);
                writeConfig(config, upstream);
                // H2's automatic server: this JVM measures the database the gateway process holds open.
                List<String> args = gatewayArgs(config, port, issuer, master, null, ";AUTO_SERVER=TRUE");
                // The purge every 10 s (1 min by default) so that "after the purge" needs no long wait.
                args.add("--passerelle.retention.interval=10s");
                List<String> report = new ArrayList<>();
                report.add(jar + " (JVM: " + String.join(" ", jvm) + ")");
                Path log = Path.of("target", "bench-gateway-" + reports.size() + ".log"); // kept after the run
                try (ExternalGateway gateway = ExternalGateway.start(Path.of(jar), jvm, args, issuer, log)) {
                    meter = gateway;
                    report.add(String.format("start: discovery served after %d ms (process start to HTTP 200; RSS %d MiB)",
                            gateway.discoveryMillis(), gateway.rssMiB()));
                    System.out.println(report.get(report.size() - 1));
                    var database = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                            "jdbc:h2:file:" + config.resolve("db") + ";AUTO_SERVER=TRUE", "sa", "");
                    storage = new Storage(org.springframework.jdbc.core.simple.JdbcClient.create(database),
                            config.resolve("db.mv.db"), LoginBenchmark::awaitPurge);
                    JWKSet jwks = JWKSet.load(URI.create(issuer + "/oauth2/jwks").toURL());
                    IDTokenValidator validator = new IDTokenValidator(new Issuer(issuer), new ClientID(PORTAL),
                            new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)), null);
                    report.addAll(phases(issuer, validator));
                } finally {
                    meter = Meter.THIS_JVM;
                    try (var files = Files.walk(config)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
                reports.put(jar, report);
            }
        }
        System.out.println("\nSide by side (CPU, JIT, GC, RSS: the gateway's process alone; alloc: not visible, -1):");
        reports.values().forEach(lines -> lines.forEach(System.out::println));
    }

    /**
     * The warm-up, then the measured phases at concurrency 1, 8 and 32 ({@code bench.logins} each, a tenth
     * at 1), each printed as it ends; returns the report (header, a line per phase, the database's size).
     */
    private static List<String> phases(String issuer, IDTokenValidator validator) throws Exception {
        int logins = Integer.getInteger("bench.logins", 6000);
        System.out.println(HEADER);
        warmUp(issuer, validator);
        storage.startStatementStatistics();
        List<String> report = new ArrayList<>();
        report.add(HEADER);
        long measured = 0;
        for (int concurrency : new int[] {1, 8, 32}) {
            int count = concurrency == 1 ? Math.max(300, logins / 10) : logins;
            measured += count;
            Result phase = run(issuer, validator, concurrency, count, "c" + concurrency);
            System.out.println(phase.line());
            report.add(phase.line());
        }
        storage.printStatements(measured);
        report.add(String.format("database: %d KiB in tables and indexes after the purge; H2 file %d KiB",
                storage.afterPurge() >> 10, storage.fileBytes() >> 10));
        storage.byTable().entrySet().stream().limit(8).forEach(t -> report.add(String.format("  %8d KiB  %s",
                t.getValue() >> 10, t.getKey())));
        return report;
    }

    /** A gateway in its own process purges every 10 s (set above): wait for one to have run. */
    private static void awaitPurge() {
        try {
            Thread.sleep(11_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Warms the gateway up until the JIT compilers are done: {@code bench.warmup} logins (20000), then
     * rounds of 2000 while the compiler threads still used more than 3% of the round's CPU time, up to
     * {@code bench.warmup-max} logins in all (60000). With both cores busy serving logins, the compile
     * queue drains slowly and unevenly from run to run: a fixed warm-up left anything from 0.3 to 1.2 ms
     * of compilation in each measured login. Each round is printed, so the convergence is visible.
     */
    private static void warmUp(String issuer, IDTokenValidator validator) throws Exception {
        int concurrency = Integer.getInteger("bench.warmup-concurrency", 32);
        int done = Integer.getInteger("bench.warmup", 20000);
        int max = Integer.getInteger("bench.warmup-max", 60000);
        System.out.println(run(issuer, validator, concurrency, done, "warm-up").line());
        while (done < max) {
            Result round = run(issuer, validator, concurrency, 2000, "warm-up+");
            done += 2000;
            System.out.println(round.line());
            if (round.jitMsPerLogin() < 0.03 * round.cpuMsPerLogin()) {
                break;
            }
        }
    }

    /** One measured phase: the printed line, and the two figures the warm-up watches. */
    private record Result(String line, double cpuMsPerLogin, double jitMsPerLogin) {
    }

    private static Result run(String issuer, IDTokenValidator validator, int concurrency, int logins, String label)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger remaining = new AtomicInteger(logins);
        long start = System.nanoTime();
        long cpuStart = meter.cpuNanos();
        long bytesStart = storage.bytes();
        long allocatedStart = meter.allocatedBytes();
        java.util.Map<String, Long> ticksStart = meter.threadTicks();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0 && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
                        long t0 = System.nanoTime();
                        try {
                            login(issuer, validator);
                            latencies.add(System.nanoTime() - t0);
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println(label + " login failed: " + e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Growth of the database per login once the expired rows of the phase are gone, as in production
        // (the purge runs every minute; run once more here so that short phases count the same way).
        // Heap allocated by every thread of this JVM (gateway, upstream and driver) per login.
        double allocatedPerLogin = allocatedStart < 0 ? -1
                : (meter.allocatedBytes() - allocatedStart) / 1024.0 / Math.max(1, latencies.size());
        double bytesPerLogin = (storage.afterPurge() - bytesStart) / (double) Math.max(1, latencies.size());
        // CPU time of this JVM (gateway, upstream and driver) per login: far less sensitive than logins/s to
        // other work on the machine, so A/B comparisons on a shared machine use it first.
        double cpuPerLogin = (meter.cpuNanos() - cpuStart) / 1e6 / Math.max(1, latencies.size());
        // Of which the JIT compilers and the garbage collector (ms per login; live threads, 10 ms ticks).
        java.util.Map<String, Long> ticksEnd = meter.threadTicks();
        java.util.function.ToDoubleFunction<String> perLogin = kind -> (ticksEnd.getOrDefault(kind, 0L)
                - ticksStart.getOrDefault(kind, 0L)) * 10.0 / Math.max(1, latencies.size());
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double jit = perLogin.applyAsDouble("JIT");
        double gc = perLogin.applyAsDouble("GC");
        return new Result(String.format("%-12s %8d %10.1f %9.1f %9.1f %9.1f %7d %12.2f %5.2f %5.2f %5.1f%% %8d %10.0f %12.0f",
                label, sorted.size(), sorted.size() / seconds, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                errors.get(), cpuPerLogin, jit, gc, 100 * gc / Math.max(cpuPerLogin, 1e-9), meter.rssMiB(),
                bytesPerLogin, allocatedPerLogin), cpuPerLogin, jit);
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }

    /**
     * Browsers of the benchmark share one HTTP client (its connections, like a proxy in front of many
     * browsers) but each login keeps its own cookies, so every login is a new browser to the gateway.
     */
    private static final HttpClient BROWSERS = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One citizen's whole sign-in, as a browser and a portal perform it. */
    private static void login(String issuer, IDTokenValidator validator) throws Exception {
        java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        State state = new State();
        URI callback = URI.create("https://bench.example/cb");
        URI next = URI.create(new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(PORTAL), callback).state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("idp_hint", "bench-upstream").endpointURI(URI.create(issuer + "/oauth2/authorize"))
                .build().toURI().toString());
        for (int hop = 0; hop < 8 && !next.toString().startsWith(callback.toString()); hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(roundRobin(next)).timeout(Duration.ofSeconds(10)).GET();
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(java.util.stream.Collectors.joining("; ")));
            }
            HttpResponse<Void> response = BROWSERS.send(request.build(), HttpResponse.BodyHandlers.discarding());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            String location = response.headers().firstValue("Location")
                    .orElseThrow(() -> new IllegalStateException("hop to " + response.uri().getPath() + " answered "
                            + response.statusCode()));
            next = response.uri().resolve(location); // on a node's port: roundRobin picks the next node
        }
        AuthorizationResponse authorization = AuthorizationResponse.parse(next);
        var tokens = OIDCTokenResponseParser.parse(new TokenRequest(roundRobin(URI.create(issuer + "/oauth2/token")),
                new ClientSecretBasic(new ClientID(PORTAL), new Secret(PORTAL_SECRET)),
                new AuthorizationCodeGrant(authorization.toSuccessResponse().getAuthorizationCode(), callback, verifier))
                .toHTTPRequest().send());
        if (!tokens.indicatesSuccess()) {
            throw new IllegalStateException("token: " + tokens.toErrorResponse().getErrorObject());
        }
        validator.validate(((OIDCTokenResponse) tokens.toSuccessResponse()).getOIDCTokens().getIDToken(), nonce);
    }

    /** The gateway nodes' ports when there are several (empty: one node, requests go to the issuer). */
    private static final List<Integer> NODE_PORTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final AtomicInteger NEXT_NODE = new AtomicInteger();

    /** The gateway's own addresses go to the next node in turn; the upstream's and the portal's stay. */
    private static URI roundRobin(URI uri) {
        if (NODE_PORTS.isEmpty() || !"localhost".equals(uri.getHost()) || !NODE_PORTS.contains(uri.getPort())) {
            return uri;
        }
        int node = NODE_PORTS.get(Math.floorMod(NEXT_NODE.getAndIncrement(), NODE_PORTS.size()));
        return URI.create(uri.toString().replaceFirst("^http://localhost:\\d+", "http://localhost:" + node));
    }

    private static int secondPort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ConfigurableApplicationContext startGateway(Path config, int port, String issuer,
                                                               BenchUpstream upstream, byte[] master, String database)
            throws Exception {
        writeConfig(config, upstream);
        List<String> args = gatewayArgs(config, port, issuer, master, database,
                ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE");
        return new SpringApplicationBuilder(PasserelleApplication.class).run(args.toArray(String[]::new));
    }

    /** The benchmark's portal and upstream, as an operator's files. */
    private static void writeConfig(Path config, BenchUpstream upstream) throws java.io.IOException {
        Files.createDirectories(config.resolve("clients"));
        Files.createDirectories(config.resolve("connectors"));
        Files.writeString(config.resolve("clients/bench-portal.yml"), """
                client_id: bench-portal
                client_name: {en: Bench, fr: Bench, nl: Bench, de: Bench}
                redirect_uris: [https://bench.example/cb]
                token_endpoint_auth_method: client_secret_basic
                client_secret: ${BENCH_PORTAL_SECRET}
                scope: [openid]
                purpose: {en: Benchmark, fr: Benchmark, nl: Benchmark, de: Benchmark}
                id_token_signed_response_alg: ES256
                """);
        Files.writeString(config.resolve("connectors/bench-upstream.yml"), """
                id: bench-upstream
                type: oidc
                display_name: {en: Bench, fr: Bench, nl: Bench, de: Bench}
                loa: substantial
                issuer: %s
                client_id: %s
                client_auth: client_secret_basic
                client_secret: ${BENCH_UPSTREAM_SECRET}
                id_token_signing_alg: ES256
                claim_mapping: {given_name: given_name}
                """.formatted(upstream.issuer(), BenchUpstream.CLIENT_ID));
    }

    /** The gateway's command line (the same in this JVM and for a jar in its own process). */
    private static List<String> gatewayArgs(Path config, int port, String issuer, byte[] master, String database,
                                            String h2Server) {
        List<String> args = new ArrayList<>(List.of(
                "--passerelle.config-file=target/no-operator-config.yml", "--server.port=" + port,
                "--passerelle.issuer=" + issuer, "--passerelle.config-dir=" + config,
                "--BENCH_PORTAL_SECRET=" + PORTAL_SECRET, "--BENCH_UPSTREAM_SECRET=" + BenchUpstream.SECRET,
                "--passerelle.keys.master-key=" + Base64.getEncoder().encodeToString(master),
                // The shipped default (application.yml) with the database in the benchmark's own directory.
                "--spring.datasource.url=" + (database != null ? database : "jdbc:h2:file:" + config.resolve("db")
                        + h2Server + ";QUERY_CACHE_SIZE=64;CACHE_SIZE=16384" + System.getProperty("bench.h2", "")),
                "--spring.datasource.username=" + (database != null ? io.passerelle.testsupport.PostgresDatabase.USER : "sa"),
                "--logging.level.passerelle.audit=" + System.getProperty("bench.audit", "INFO"), "--logging.level.io.passerelle=WARN",
                "--server.tomcat.threads.max=200",
                "--spring.datasource.hikari.maximum-pool-size=" + Integer.getInteger("bench.pool", 10)));
        // Experiments with settings, e.g. -Dbench.gateway-args="--server.tomcat.threads.max=50 --x=y".
        String extra = System.getProperty("bench.gateway-args", "").trim();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        return args;
    }
}
