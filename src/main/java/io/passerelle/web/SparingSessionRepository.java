package io.passerelle.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The shared session store (JDBC or Redis), asked only what a request needs. Every node keeps the
 * citizens' sessions in the store, so each store round trip is paid on every request that carries a
 * session; two of Spring Session's are saved here without changing what any request sees:
 * <ul>
 * <li><b>The idle timeout is slid at most once per {@code touchInterval}</b> (default one minute):
 * Spring Session rewrites the session's row on every request only to move its last-access time. A
 * session then expires up to one interval earlier than "timeout after the last request", and its
 * expiry in the store is never later than that: never a session that outlives its timeout.</li>
 * <li><b>No second read of a session just written</b>: after saving a session at the end of a request,
 * Spring Session's filter reads it back from the store only to learn that it exists (to decide whether
 * to set the cookie again). The session this request just saved answers that; the note of it lives for
 * the rest of the request only ({@link #requestScope()}, the outermost filter, forgets it).</li>
 * </ul>
 * Everything else (create, attributes, delete, id change at sign-in) goes to the store as before.
 */
final class SparingSessionRepository implements SessionRepository<SparingSessionRepository.SparingSession> {

    /** The session the current request saved: only while {@link #requestScope()} runs a request. */
    private static final ThreadLocal<SparingSession[]> JUST_SAVED = new ThreadLocal<>();

    private final SessionRepository<Session> store;
    private final Duration touchInterval;

    @SuppressWarnings("unchecked")
    SparingSessionRepository(SessionRepository<? extends Session> store, Duration touchInterval) {
        this.store = (SessionRepository<Session>) store;
        this.touchInterval = touchInterval;
    }

    @Override
    public SparingSession createSession() {
        return new SparingSession(store.createSession(), null);
    }

    @Override
    public void save(SparingSession session) {
        store.save(session.stored);
        SparingSession[] note = JUST_SAVED.get();
        if (note != null) {
            note[0] = session;
        }
    }

    @Override
    public @Nullable SparingSession findById(String id) {
        SparingSession[] note = JUST_SAVED.get();
        if (note != null && note[0] != null) {
            SparingSession saved = note[0];
            note[0] = null; // once: the filter's read-back right after the save
            if (saved.getId().equals(id)) {
                return saved;
            }
        }
        Session stored = store.findById(id);
        return stored == null ? null : new SparingSession(stored, stored.getLastAccessedTime());
    }

    @Override
    public void deleteById(String id) {
        SparingSession[] note = JUST_SAVED.get();
        if (note != null) {
            note[0] = null;
        }
        store.deleteById(id);
    }

    /**
     * Runs outside Spring Session's filter: a request's note of the session it saved exists while the
     * request runs and never reaches the next request served on the same thread (nor a caller outside
     * a request).
     */
    static OncePerRequestFilter requestScope() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                JUST_SAVED.set(new SparingSession[1]);
                try {
                    chain.doFilter(request, response);
                } finally {
                    JUST_SAVED.remove();
                }
            }
        };
    }

    /** A stored session whose last-access time moves (and is written) at most once per interval. */
    final class SparingSession implements Session {

        private final Session stored;
        /** The last-access time the store holds (null: a new session, always written in full). */
        private final @Nullable Instant storedAccess;

        private SparingSession(Session stored, @Nullable Instant storedAccess) {
            this.stored = stored;
            this.storedAccess = storedAccess;
        }

        @Override
        public void setLastAccessedTime(Instant lastAccessedTime) {
            if (storedAccess == null || !lastAccessedTime.isBefore(storedAccess.plus(touchInterval))) {
                stored.setLastAccessedTime(lastAccessedTime);
            }
        }

        @Override
        public String getId() {
            return stored.getId();
        }

        @Override
        public String changeSessionId() {
            return stored.changeSessionId();
        }

        @Override
        public <T> @Nullable T getAttribute(String attributeName) {
            return stored.getAttribute(attributeName);
        }

        @Override
        public Set<String> getAttributeNames() {
            return stored.getAttributeNames();
        }

        @Override
        public void setAttribute(String attributeName, Object attributeValue) {
            stored.setAttribute(attributeName, attributeValue);
        }

        @Override
        public void removeAttribute(String attributeName) {
            stored.removeAttribute(attributeName);
        }

        @Override
        public Instant getCreationTime() {
            return stored.getCreationTime();
        }

        @Override
        public Instant getLastAccessedTime() {
            return stored.getLastAccessedTime();
        }

        @Override
        public void setMaxInactiveInterval(Duration interval) {
            stored.setMaxInactiveInterval(interval);
        }

        @Override
        public Duration getMaxInactiveInterval() {
            return stored.getMaxInactiveInterval();
        }

        @Override
        public boolean isExpired() {
            return stored.isExpired();
        }
    }
}
