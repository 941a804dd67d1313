package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

class SparingSessionRepositoryTest {

    /** Now: the in-memory store drops expired sessions as a real one does. */
    private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    /** The store, counting what reaches it; sessions are copied in and out as a remote store would. */
    private final List<String> calls = new ArrayList<>();
    private final SessionRepository<MapSession> store = new SessionRepository<>() {
        private final MapSessionRepository map = new MapSessionRepository(new ConcurrentHashMap<>());

        @Override
        public MapSession createSession() {
            return map.createSession();
        }

        @Override
        public void save(MapSession session) {
            calls.add("save " + session.getLastAccessedTime());
            map.save(session);
        }

        @Override
        public MapSession findById(String id) {
            calls.add("find");
            return map.findById(id);
        }

        @Override
        public void deleteById(String id) {
            calls.add("delete");
            map.deleteById(id);
        }
    };
    private final SparingSessionRepository sessions = new SparingSessionRepository(store, Duration.ofMinutes(1));

    private String storedSession() {
        var session = sessions.createSession();
        session.setLastAccessedTime(T0);
        session.setMaxInactiveInterval(Duration.ofMinutes(30));
        session.setAttribute("a", "1");
        sessions.save(session);
        calls.clear();
        return session.getId();
    }

    /** Runs {@code body} as one request, inside the filter that scopes the repository's note. */
    private static void inRequest(Runnable body) {
        try {
            SparingSessionRepository.requestScope().doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                    (request, response) -> body.run());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRequestWithinTheTouchIntervalLeavesTheLastAccessTimeAsStored() {
        String id = storedSession();
        var session = sessions.findById(id);
        session.setLastAccessedTime(T0.plusSeconds(59));
        sessions.save(session);
        assertThat(calls).containsExactly("find", "save " + T0);
        assertThat(store.findById(id).getLastAccessedTime()).isEqualTo(T0);
    }

    @Test
    void aRequestAfterTheTouchIntervalSlidesTheTimeout() {
        String id = storedSession();
        var session = sessions.findById(id);
        session.setLastAccessedTime(T0.plusSeconds(60));
        sessions.save(session);
        assertThat(store.findById(id).getLastAccessedTime()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.findById(id).isExpired()).isFalse();
    }

    @Test
    void attributesAndIdChangesAlwaysReachTheStore() {
        String id = storedSession();
        var session = sessions.findById(id);
        session.setLastAccessedTime(T0.plusSeconds(5));
        String newId = session.changeSessionId();
        session.setAttribute("b", "2");
        session.removeAttribute("a");
        sessions.save(session);
        Session stored = store.findById(newId);
        assertThat(stored.<String>getAttribute("b")).isEqualTo("2");
        assertThat(stored.getAttributeNames()).containsExactly("b");
        assertThat(store.findById(id)).isNull();
    }

    @Test
    void theReadBackAfterASaveInTheSameRequestIsAnsweredWithoutTheStore() {
        String id = storedSession();
        inRequest(() -> {
            var session = sessions.findById(id);
            sessions.save(session);
            calls.clear();
            assertThat(sessions.findById(id)).isSameAs(session);
            assertThat(calls).isEmpty();
            // Only once: a later read in the request goes to the store.
            assertThat(sessions.findById(id)).isNotSameAs(session);
            assertThat(calls).containsExactly("find");
        });
    }

    @Test
    void theNoteOfASavedSessionEndsWithItsRequest() {
        String id = storedSession();
        var saved = new java.util.concurrent.atomic.AtomicReference<Session>();
        inRequest(() -> {
            saved.set(sessions.findById(id));
            sessions.save((SparingSessionRepository.SparingSession) saved.get());
        });
        calls.clear();
        inRequest(() -> assertThat(sessions.findById(id)).isNotSameAs(saved.get()));
        assertThat(calls).containsExactly("find");
    }

    @Test
    void outsideARequestEveryReadGoesToTheStore() {
        String id = storedSession();
        var session = sessions.findById(id);
        sessions.save(session);
        calls.clear();
        assertThat(sessions.findById(id)).isNotSameAs(session);
        assertThat(calls).containsExactly("find");
    }

    @Test
    void anotherSessionIdIsReadFromTheStore() {
        String id = storedSession();
        String other = storedSession();
        inRequest(() -> {
            var session = sessions.findById(id);
            sessions.save(session);
            calls.clear();
            assertThat(sessions.findById(other).getId()).isEqualTo(other);
            assertThat(calls).containsExactly("find");
        });
    }

    @Test
    void aDeletedSessionIsGone() {
        String id = storedSession();
        inRequest(() -> {
            var session = sessions.findById(id);
            sessions.save(session);
            sessions.deleteById(id);
            assertThat(sessions.findById(id)).isNull();
        });
    }

    @Test
    void theTouchIntervalMustBeShorterThanTheTimeout() {
        assertThatThrownBy(() -> new SessionStoreConfiguration.SessionProperties("jdbc", Duration.ofMinutes(30),
                "PASSERELLE_SESSION", Duration.ofMinutes(30)))
                .hasMessageContaining("passerelle.sessions.touch-interval");
        assertThat(new SessionStoreConfiguration.SessionProperties("jdbc", Duration.ofMinutes(30), "PASSERELLE_SESSION",
                Duration.ZERO).touchInterval()).isZero();
    }
}
