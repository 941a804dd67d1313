package io.passerelle.web;

import java.io.Serializable;
import java.time.Instant;

/**
 * The way back to the portal from a consent question that can no longer be answered (issue 13): either
 * the portal's request again ({@code resumeUrl}: the citizen shared, and the portal now gets its code),
 * or an {@code access_denied} answer at its validated redirect URI with its state. Kept in the browser's
 * session after the question ends, until {@code until} (the question timeout), so a second click, a reload
 * or an expired question still leads back, and an old one does not.
 *
 * @param shared whether the citizen's answer shared data (null when the question ended without an answer)
 * @param reason the page's reason when the question ended without an answer ({@code expired}, {@code other-citizen})
 */
record ConsentWayBack(String clientId, String resumeUrl, String redirectUri, String state, Boolean shared,
                      String reason, String description, Instant until) implements Serializable {

    static final String SESSION_ATTRIBUTE = "passerelle.consent-way-back";

    /** The reason a later page shows for this question: what the answer did, or why it ended unanswered. */
    String laterReason() {
        if (shared == null) {
            return reason;
        }
        return shared ? "answered-shared" : "answered-refused";
    }
}
