package io.passerelle.issuer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.passerelle.retention.ExpiredRows;

/**
 * Which portals each browser session signed in to (those with a {@code backchannel_logout_uri}), shared
 * by every node through the database: the list that back-channel logout works from. It outlives the authorizations on purpose: a portal whose
 * tokens were refreshed or whose consent was withdrawn still has the citizen's session open and must
 * hear that it ended (RP-Initiated Logout; Back-Channel Logout 2.5).
 */
public final class SessionPortals {

    /** One portal of one session, under the subject that portal knows the citizen by. */
    public record Member(String sid, String clientId, String subject) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    public SessionPortals(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The portal received an ID token for this session. Called again for the same portal: nothing changes. */
    public void joined(String sid, String clientId, String subject, String citizen) {
        try {
            jdbc.sql("""
                    INSERT INTO session_portal (sid, client_id, subject, principal_name, seen_at)
                    SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS
                        (SELECT 1 FROM session_portal WHERE sid = ? AND client_id = ? AND subject = ?)""")
                    .params(sid, clientId, subject, citizen, Timestamp.from(clock.instant()), sid, clientId, subject)
                    .update();
        } catch (DuplicateKeyException raced) {
            // The same portal's second token of the same session, on another node at the same instant.
        }
    }

    /** The portals of one session of the citizen, or of all their sessions when {@code sid} is null. */
    public List<Member> of(String citizen, String sid) {
        return (sid == null
                ? jdbc.sql("SELECT sid, client_id, subject FROM session_portal WHERE principal_name = ?").params(citizen)
                : jdbc.sql("SELECT sid, client_id, subject FROM session_portal WHERE principal_name = ? AND sid = ?")
                        .params(citizen, sid))
                .query((row, n) -> new Member(row.getString(1), row.getString(2), row.getString(3))).list();
    }

    /** The session ended: its portals have been told. */
    public void forget(String citizen, String sid) {
        (sid == null ? jdbc.sql("DELETE FROM session_portal WHERE principal_name = ?").params(citizen)
                : jdbc.sql("DELETE FROM session_portal WHERE principal_name = ? AND sid = ?").params(citizen, sid))
                .update();
    }

    /** The portal refreshed its tokens of this session: the session is still in use there. */
    public void seen(String sid, String clientId, String subject) {
        jdbc.sql("UPDATE session_portal SET seen_at = ? WHERE sid = ? AND client_id = ? AND subject = ?")
                .params(Timestamp.from(clock.instant()), sid, clientId, subject).update();
    }

    /** Sessions that were never signed out: once every token they gave has expired, nobody needs telling. */
    /** @param keep how long a session's list is kept after its last token was issued (the longest a portal's tokens live) */
    public static ExpiredRows expiredRows(Duration keep) {
        return ExpiredRows.olderThan("session_portal", "session_portal", List.of("sid", "client_id", "subject"),
                "seen_at < ?", keep);
    }
}
