package example.cityportal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.oidc.authentication.logout.OidcLogoutToken;
import org.springframework.security.oauth2.client.oidc.session.InMemoryOidcSessionRegistry;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionInformation;
import org.springframework.security.oauth2.client.oidc.session.OidcSessionRegistry;
import org.springframework.stereotype.Component;

/**
 * Spring's registry of the portal's sessions by Passerelle {@code sid}, which back-channel logout uses to
 * find the sessions a logout token ends. It also logs each logout token it was handed (only after Spring
 * verified it) and keeps the last few, so an operator (and the guide's test) can see that they arrive.
 * A portal on several nodes replaces the in-memory registry by a shared one.
 */
@Component
public class BackChannelLogouts implements OidcSessionRegistry {

    /** A verified logout token: its {@code sid} and {@code sub}, and how many portal sessions it ended. */
    public record Received(String sid, String subject, int sessionsEnded, Instant at) {
    }

    private static final Logger log = LoggerFactory.getLogger(BackChannelLogouts.class);
    private static final int KEPT = 50;

    private final OidcSessionRegistry sessions = new InMemoryOidcSessionRegistry();
    private final Deque<Received> received = new ConcurrentLinkedDeque<>();

    @Override
    public void saveSessionInformation(OidcSessionInformation info) {
        sessions.saveSessionInformation(info);
    }

    @Override
    public OidcSessionInformation removeSessionInformation(String clientSessionId) {
        return sessions.removeSessionInformation(clientSessionId);
    }

    @Override
    public Iterable<OidcSessionInformation> removeSessionInformation(OidcLogoutToken token) {
        List<OidcSessionInformation> ended = new ArrayList<>();
        sessions.removeSessionInformation(token).forEach(ended::add);
        Received entry = new Received(token.getSessionId(), token.getSubject(), ended.size(), Instant.now());
        received.addFirst(entry);
        while (received.size() > KEPT) {
            received.pollLast();
        }
        log.info("back-channel logout from Passerelle: sid={} ended {} portal session(s)", entry.sid(), ended.size());
        return ended;
    }

    /** The last logout tokens received, newest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }
}
