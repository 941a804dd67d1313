package io.passerelle.consent;

import java.util.List;
import java.util.Optional;

/**
 * Where citizens' consent decisions and portals' receipts are kept (package {@code consent}'s tables),
 * shared by every node through the database. One contract test runs it on H2 and PostgreSQL.
 */
public interface ConsentLedger {

    /** The citizen's decision for this portal, expired or not; empty when none or withdrawn. */
    Optional<Consent> find(String citizenId, String clientId);

    /** Records a decision, replacing the previous one for the same citizen and portal. */
    void record(Consent consent);

    /** Withdraws the citizen's decision for the portal; false when there was none. */
    boolean withdraw(String citizenId, String clientId);

    /** Every decision of the citizen, newest first. */
    List<Consent> decisions(String citizenId);

    /** Appends a receipt: the portal received these claims. */
    void released(DataRelease release);

    /** The citizen's most recent receipts, newest first. */
    List<DataRelease> releases(String citizenId, int limit);
}
