package io.passerelle.web;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.retention.ExpiredRows;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * The citizens' browser sessions (their single sign-on, and the page state of a login in progress)
 * live in a store that every node shares, so that any node serves any request of a sign-in and a node
 * that dies or restarts loses nobody's session: Spring Session JDBC on Passerelle's own database by
 * default (tables of migration V12), or Redis with {@code passerelle.sessions.store: redis} (the
 * connection is Spring Boot's {@code spring.data.redis.*}).
 *
 * <p>Sessions are saved when the request ends ({@link FlushMode#ON_SAVE}), and only the attributes a
 * request changed are written ({@link SaveMode#ON_SET_ATTRIBUTE}): a login's pages add and remove a few
 * small attributes, never rewrite the whole session.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SessionStoreConfiguration.SessionProperties.class)
public class SessionStoreConfiguration {

    /**
     * @param store   {@code jdbc} (default: the gateway's database) or {@code redis}
     * @param timeout how long a browser stays signed in without a request (sliding); also how long a
     *                login in progress may wait on the citizen
     * @param cookie  the session cookie's name
     * @param touchInterval how often at most a session's idle timeout is slid in the store (a write per
     *                      request otherwise): a session may expire up to this much before "timeout after
     *                      the last request", never after it ({@link SparingSessionRepository})
     */
    @ConfigurationProperties("passerelle.sessions")
    public record SessionProperties(@DefaultValue("jdbc") String store, @DefaultValue("30m") Duration timeout,
                                    @DefaultValue("PASSERELLE_SESSION") String cookie,
                                    @DefaultValue("1m") Duration touchInterval) {
        public SessionProperties {
            if (touchInterval.isNegative() || touchInterval.compareTo(timeout) >= 0) {
                throw new IllegalArgumentException("passerelle.sessions.touch-interval (" + touchInterval
                        + ") must be at least 0 and shorter than passerelle.sessions.timeout (" + timeout + ")");
            }
        }
    }

    /** Outermost: a request's note of the session it saved ends with the request. */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<?> sessionNoteScope() {
        return io.passerelle.config.RequestScope.outermost("sessionNoteScope", SparingSessionRepository.requestScope());
    }

    /** HttpOnly, SameSite=Lax (the upstream providers' callbacks are top-level GET navigations), Secure over https. */
    @Bean
    CookieSerializer sessionCookie(SessionProperties properties) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(properties.cookie());
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Lax");
        cookie.setCookiePath("/");
        return cookie;
    }

    /**
     * The session cookie, except on the operations endpoints: a probe or a scrape that carries a session
     * cookie must not wait on (or fail with) the store that holds the sessions, the database included.
     */
    @Bean
    HttpSessionIdResolver sessionIds(CookieSerializer cookie) {
        CookieHttpSessionIdResolver cookies = new CookieHttpSessionIdResolver();
        cookies.setCookieSerializer(cookie);
        return new HttpSessionIdResolver() {
            @Override
            public List<String> resolveSessionIds(HttpServletRequest request) {
                return request.getRequestURI().startsWith(request.getContextPath() + "/actuator/") ? List.of()
                        : cookies.resolveSessionIds(request);
            }

            @Override
            public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
                cookies.setSessionId(request, response, sessionId);
            }

            @Override
            public void expireSession(HttpServletRequest request, HttpServletResponse response) {
                cookies.expireSession(request, response);
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "passerelle.sessions.store", havingValue = "jdbc", matchIfMissing = true)
    @EnableJdbcHttpSession(flushMode = FlushMode.ON_SAVE, saveMode = SaveMode.ON_SET_ATTRIBUTE,
            cleanupCron = Scheduled.CRON_DISABLED)
    static class Jdbc {

        /** Sessions written before a class moved are still read ({@link SessionSerialization}). */
        @Bean("springSessionConversionService")
        org.springframework.core.convert.ConversionService sessionConversions() {
            return SessionSerialization.conversionService(SessionStoreConfiguration.class.getClassLoader());
        }

        @Bean
        SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTimeout(SessionProperties properties) {
            return repository -> repository.setDefaultMaxInactiveInterval(properties.timeout());
        }

        /** What Spring Session's filter uses: the store, with fewer round trips ({@link SparingSessionRepository}). */
        @Bean
        @Primary
        SparingSessionRepository sparingSessions(JdbcIndexedSessionRepository sessions, SessionProperties properties) {
            return new SparingSessionRepository(sessions, properties.touchInterval());
        }

        /**
         * Expired sessions go with the other expired rows, in small batches (package retention), their
         * attributes by the foreign key's cascade. Spring Session's own clean-up (off above) deletes every
         * expired session in one statement: a minute's worth of logins at once, long enough under load to
         * hold up logins or to be cancelled by the statement timeout, and then never catch up.
         */
        @Bean
        ExpiredRows expiredSessions() {
            return ExpiredRows.olderThan("spring_session", "spring_session", List.of("primary_id"),
                    "expiry_time < ?", Duration.ZERO).inEpochMillis();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "passerelle.sessions.store", havingValue = "redis")
    @EnableRedisHttpSession(redisNamespace = "passerelle:session", flushMode = FlushMode.ON_SAVE,
            saveMode = SaveMode.ON_SET_ATTRIBUTE)
    static class Redis {

        /** Sessions written before a class moved are still read ({@link SessionSerialization}). */
        @Bean("springSessionDefaultRedisSerializer")
        org.springframework.data.redis.serializer.RedisSerializer<Object> sessionSerializer() {
            return SessionSerialization.redisSerializer(SessionStoreConfiguration.class.getClassLoader());
        }

        @Bean
        SessionRepositoryCustomizer<RedisSessionRepository> sessionTimeout(SessionProperties properties) {
            return repository -> repository.setDefaultMaxInactiveInterval(properties.timeout());
        }

        /** What Spring Session's filter uses: the store, with fewer round trips ({@link SparingSessionRepository}). */
        @Bean
        @Primary
        SparingSessionRepository sparingSessions(RedisSessionRepository sessions, SessionProperties properties) {
            return new SparingSessionRepository(sessions, properties.touchInterval());
        }
    }
}
