package io.passerelle.web;

import java.io.Serializable;

/**
 * The way back to the portal from a consent question that can no longer be answered (issue 13): either
 * the portal's request again ({@code resumeUrl}: the citizen shared, and the portal now gets its code),
 * or an {@code access_denied} answer at its validated redirect URI with its state. Kept in the browser's
 * session after the question ends, so a second click, a reload or an expired question still leads back.
 *
 * @param shared whether the citizen's answer shared data (null when the question ended without an answer)
 */
record ConsentWayBack(String clientId, String resumeUrl, String redirectUri, String state, Boolean shared,
                      String description) implements Serializable {

    static final String SESSION_ATTRIBUTE = "passerelle.consent-way-back";

    /** The reason the page shows for a question answered already (only when {@code shared} is known). */
    String answeredReason() {
        return Boolean.TRUE.equals(shared) ? "answered-shared" : "answered-refused";
    }
}
