package io.passerelle.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.passerelle.broker.LoginTransaction.ConsentQuestion;
import io.passerelle.broker.LoginTransaction.Upstream;
import io.passerelle.connector.Loa;
import io.passerelle.testsupport.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The one record of a login in flight (issue 12): its contract, on H2 and on PostgreSQL. */
abstract class LoginTransactionStoreContract {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private LoginTransactionStore store;
    private JdbcClient jdbc;

    abstract DataSource database();

    @BeforeEach
    void open() {
        jdbc = JdbcClient.create(database());
        store = new LoginTransactionStore(jdbc, clock);
    }

    private static LoginTransaction login(String browser, String resumeUrl) {
        LoginDemand demand = new LoginDemand("city-portal", "https://city.example/cb", "portal-state", Loa.HIGH,
                "itsme", 300L, Set.of("login", "consent"), "nl-BE fr", "anna@example.org", NOW, resumeUrl);
        return new LoginTransaction(UUID.randomUUID().toString(), browser, LoginTransaction.requestKey(resumeUrl), demand,
                null, null, null, NOW, NOW.plus(Duration.ofMinutes(10)));
    }

    private static Upstream upstream(String state) {
        return new Upstream("itsme", state, "nonce-" + state, "verifier-" + state, "nl", NOW.plusSeconds(5));
    }

    @Test
    void everyPartOfTheLoginComesBackOnlyToItsBrowser() {
        LoginTransaction tx = login("browser-a", "/oauth2/authorize?client_id=city-portal&state=" + UUID.randomUUID());
        store.create(tx);

        LoginTransaction read = store.find(tx.id(), "browser-a").orElseThrow();
        assertThat(read.demand()).isEqualTo(tx.demand());
        assertThat(read.upstream()).isNull();
        assertThat(read.consent()).isNull();
        assertThat(read.expiresAt()).isEqualTo(tx.expiresAt());
        assertThat(store.find(tx.id(), "browser-b")).as("another browser").isEmpty();
        assertThat(store.find(tx.id(), null)).as("a browser without the cookie").isEmpty();
        assertThat(store.forRequest("browser-a", tx.requestKey())).map(LoginTransaction::id).contains(tx.id());
        assertThat(store.forRequest("browser-b", tx.requestKey())).isEmpty();
        assertThat(store.forRequest("browser-a", LoginTransaction.requestKey("/oauth2/authorize?other"))).isEmpty();
    }

    @Test
    void theUpstreamAnswerIsTakenOnceAndAnotherKeyMayBeChosenAfterIt() {
        LoginTransaction tx = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        store.create(tx);
        String first = "state-" + UUID.randomUUID();
        assertThat(store.startUpstream(tx, upstream(first))).isTrue();
        assertThat(store.find(tx.id(), "browser-a").orElseThrow().upstream()).isEqualTo(upstream(first));

        String second = "state-" + UUID.randomUUID();
        assertThat(store.startUpstream(tx, upstream(second))).as("another key chosen").isTrue();
        assertThat(store.consume(first)).as("the first choice's answer is refused").isEmpty();
        assertThat(store.consume(second)).map(LoginTransaction::id).contains(tx.id());
        assertThat(store.consume(second)).as("used once").isEmpty();

        String third = "state-" + UUID.randomUUID();
        assertThat(store.startUpstream(tx, upstream(third))).as("after a failed answer, another key").isTrue();
        assertThat(store.consume(third)).isPresent();
    }

    @Test
    void racingCallbacksWithOneStateHaveOneWinner() throws Exception {
        LoginTransaction tx = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        store.create(tx);
        String state = "state-" + UUID.randomUUID();
        store.startUpstream(tx, upstream(state));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<Boolean> callback = () -> store.consume(state).isPresent();
            List<Future<Boolean>> results = pool.invokeAll(List.of(callback, callback, callback, callback));
            long winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theConsentQuestionIsAnsweredOnceAndNotAfterItLapsed() {
        LoginTransaction tx = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        store.create(tx);
        ConsentQuestion question = new ConsentQuestion("citizen-1", List.of("given_name", "email", "email_verified"),
                NOW.plus(Duration.ofMinutes(15)), null);
        store.askConsent(tx, question);
        LoginTransaction asked = store.find(tx.id(), "browser-a").orElseThrow();
        assertThat(asked.consent()).isEqualTo(question);
        assertThat(asked.expiresAt()).as("the login lives as long as its question").isEqualTo(question.expiresAt());

        assertThat(store.answerConsent(asked)).isTrue();
        assertThat(store.answerConsent(asked)).as("a replayed answer").isFalse();
        assertThat(store.find(tx.id(), "browser-a").orElseThrow().consent().answeredAt()).isEqualTo(NOW);

        LoginTransaction other = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        store.create(other);
        store.askConsent(other, new ConsentQuestion("citizen-1", List.of("email"), NOW.plusSeconds(60), null));
        clock.set(NOW.plusSeconds(61));
        assertThat(store.answerConsent(store.find(other.id(), "browser-a").orElseThrow())).as("lapsed").isFalse();
    }

    @Test
    void aFailedAttemptIsRememberedForTheWayBackToThePortal() {
        LoginTransaction tx = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        store.create(tx);
        store.failed(tx, "unavailable");
        assertThat(store.find(tx.id(), "browser-a").orElseThrow().failure()).isEqualTo("unavailable");
    }

    @Test
    void aCompletedOrExpiredLoginIsGone() {
        LoginTransaction done = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        LoginTransaction stale = login("browser-a", "/oauth2/authorize?state=" + UUID.randomUUID());
        store.create(done);
        store.create(stale);
        store.complete("browser-a", done.requestKey());
        assertThat(store.find(done.id(), "browser-a")).isEmpty();

        clock.set(NOW.plus(Duration.ofMinutes(11)));
        assertThat(store.find(stale.id(), "browser-a")).as("expired").isEmpty();
        assertThat(LoginTransactionStore.expiredRows().getFirst().table()).as("purged by the retention job")
                .isEqualTo("login_in_flight");
    }
}
