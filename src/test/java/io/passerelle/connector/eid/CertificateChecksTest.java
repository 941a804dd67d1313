package io.passerelle.connector.eid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.demo.DemoCertificates.CardSpec;
import io.passerelle.demo.DemoCertificates.Issued;

/** Each named check of {@link CertificateChecks}, with a good and a bad certificate. */
class CertificateChecksTest {

    private static final TestPki PKI = new TestPki(null, null);
    private static final Issued GOOD = PKI.card(PKI.citizen());
    private static final Instant NOW = Instant.now();

    private static void refusedBy(String check, Executable action) {
        assertThatThrownBy(action::execute).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.check()).isEqualTo(check);
            assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
        });
    }

    @Test
    void chainPresent() {
        assertThat(CertificateChecks.endEntity(List.of(GOOD.certificate()))).isSameAs(GOOD.certificate());
        refusedBy(CertificateChecks.CHAIN_PRESENT, () -> CertificateChecks.endEntity(List.of()));
    }

    @Test
    void pathToTrustAnchorFromCardAloneOrWithItsCa() {
        List<java.security.cert.X509Certificate> path = CertificateChecks.buildPath(GOOD.certificate(),
                List.of(GOOD.certificate()), PKI.trust());
        assertThat(path).containsExactly(GOOD.certificate(), PKI.citizenCa.certificate());
        assertThatCode(() -> CertificateChecks.pathValid(path, PKI.trust().anchors(), NOW)).doesNotThrowAnyException();
    }

    @Test
    void pathFromAnUntrustedRootIsRefused() {
        Issued stranger = DemoCertificates.card(PKI.citizen(), PKI.otherCa);
        // Same issuer name as the real Citizen CA, other key: no path can be built.
        refusedBy(CertificateChecks.PATH_VALID, () -> CertificateChecks.buildPath(stranger.certificate(),
                TestPki.chain(stranger, PKI.otherCa), PKI.trust()));
    }

    @Test
    void pathWithAForgedSignatureIsRefusedByPkix() {
        Issued stranger = DemoCertificates.card(PKI.citizen(), PKI.otherCa);
        refusedBy(CertificateChecks.PATH_VALID, () -> CertificateChecks.pathValid(
                List.of(stranger.certificate(), PKI.citizenCa.certificate()), PKI.trust().anchors(), NOW));
    }

    @Test
    void withinValidity() {
        assertThatCode(() -> CertificateChecks.withinValidity(List.of(GOOD.certificate()), NOW)).doesNotThrowAnyException();
        Issued expired = PKI.card(PKI.citizen().validBetween(NOW.minusSeconds(86400 * 30), NOW.minusSeconds(86400)));
        Issued notYet = PKI.card(PKI.citizen().validBetween(NOW.plusSeconds(86400), NOW.plusSeconds(86400 * 30)));
        refusedBy(CertificateChecks.WITHIN_VALIDITY, () -> CertificateChecks.withinValidity(List.of(expired.certificate()), NOW));
        refusedBy(CertificateChecks.VALIDITY_STARTED, () -> CertificateChecks.withinValidity(List.of(notYet.certificate()), NOW));
    }

    @Test
    void endEntityNotCa() {
        assertThatCode(() -> CertificateChecks.endEntityNotCa(GOOD.certificate())).doesNotThrowAnyException();
        refusedBy(CertificateChecks.END_ENTITY, () -> CertificateChecks.endEntityNotCa(PKI.citizenCa.certificate()));
    }

    @Test
    void keyUsageDigitalSignatureWithoutNonRepudiation() {
        assertThatCode(() -> CertificateChecks.keyUsageAuthentication(GOOD.certificate())).doesNotThrowAnyException();
        Issued signing = PKI.card(PKI.citizen().withKeyUsage(KeyUsage.nonRepudiation));
        Issued both = PKI.card(PKI.citizen().withKeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        Issued encipher = PKI.card(PKI.citizen().withKeyUsage(KeyUsage.keyEncipherment));
        for (Issued bad : List.of(signing, both, encipher)) {
            refusedBy(CertificateChecks.KEY_USAGE, () -> CertificateChecks.keyUsageAuthentication(bad.certificate()));
        }
    }

    @Test
    void authenticationPolicySaysCitizenOrForeigner() {
        X509Certificate ca = PKI.citizenCa.certificate();
        assertThat(CertificateChecks.authenticationPolicy(GOOD.certificate(), ca, PKI.trust())).isEqualTo(CardType.CITIZEN);
        Issued foreigner = DemoCertificates.card(PKI.citizen().withPolicy("2.16.56.9.1.1.7.2"), PKI.foreignerCa);
        assertThat(CertificateChecks.authenticationPolicy(foreigner.certificate(), PKI.foreignerCa.certificate(),
                PKI.trust())).isEqualTo(CardType.FOREIGNER);
        Issued signature = PKI.card(PKI.citizen().withPolicy("2.16.56.12.1.1.2.1"));
        refusedBy(CertificateChecks.POLICY, () -> CertificateChecks.authenticationPolicy(signature.certificate(), ca,
                PKI.trust()));
        TrustSettings custom = new TrustSettings(PKI.trust().roots(), PKI.trust().issuingCas(),
                List.of(new CardTypeRule(CardType.CITIZEN, Set.of("1.2.3.4"), List.of())));
        refusedBy(CertificateChecks.POLICY, () -> CertificateChecks.authenticationPolicy(GOOD.certificate(), ca, custom));
    }

    @Test
    void aKidsCaConfiguredByTheOperatorIsTypedKidsAndOnlyThatCa() {
        // No Kids-ID OID is known (domain facts 2.1.5): the operator's rule names a CA and a policy it confirmed.
        Issued kidsCa = DemoCertificates.issuingCa("Kids CA", "202401", PKI.root);
        List<CardTypeRule> rules = new java.util.ArrayList<>(List.of(new CardTypeRule(CardType.KIDS,
                TrustSettings.DEFAULT_CITIZEN_POLICIES, List.of(kidsCa.certificate()))));
        rules.addAll(CardTypeRule.defaults());
        TrustSettings trust = new TrustSettings(PKI.trust().roots(), List.of(PKI.citizenCa.certificate(),
                kidsCa.certificate()), rules);
        Issued kid = DemoCertificates.card(PKI.citizen(), kidsCa);
        assertThat(CertificateChecks.authenticationPolicy(kid.certificate(), kidsCa.certificate(), trust))
                .isEqualTo(CardType.KIDS);
        assertThat(CertificateChecks.authenticationPolicy(GOOD.certificate(), PKI.citizenCa.certificate(), trust))
                .as("same policy, another CA").isEqualTo(CardType.CITIZEN);
        assertThat(CardTypeRule.defaults()).extracting(CardTypeRule::type)
                .containsExactly(CardType.CITIZEN, CardType.FOREIGNER);
    }

    @Test
    void holderFromTheSubject() {
        CardHolder holder = CertificateChecks.holder(GOOD.certificate(), CardType.CITIZEN);
        assertThat(holder.nationalNumber()).isEqualTo(TestPki.CITIZEN_NN);
        assertThat(holder.givenName()).isEqualTo("Alice Geldigekaart");
        assertThat(holder.surname()).isEqualTo("SPECIMEN");
        assertThat(holder.toString()).doesNotContain(TestPki.CITIZEN_NN);
        Issued badNumber = PKI.card(new CardSpec("85073003329", "Bob", "SPECIMEN", "2.16.56.12.1.1.2.2",
                new KeyUsage(KeyUsage.digitalSignature), NOW.minusSeconds(60), NOW.plusSeconds(3600), null, null, false));
        refusedBy(CertificateChecks.NATIONAL_NUMBER, () -> CertificateChecks.holder(badNumber.certificate(), CardType.CITIZEN));
        Issued prefixed = PKI.card(new CardSpec("PNOBE-85073003328", "Bob", "SPECIMEN", "2.16.56.12.1.1.2.2",
                new KeyUsage(KeyUsage.digitalSignature), NOW.minusSeconds(60), NOW.plusSeconds(3600), null, null, false));
        refusedBy(CertificateChecks.NATIONAL_NUMBER, () -> CertificateChecks.holder(prefixed.certificate(), CardType.CITIZEN));
        refusedBy(CertificateChecks.SUBJECT, () -> CertificateChecks.holder(PKI.root.certificate(), CardType.CITIZEN));
    }

    @Test
    void nationalNumberMod97IncludingBornFrom2000() {
        assertThat(NationalNumber.isValid("85073003328")).isTrue();
        assertThat(NationalNumber.isValid(NationalNumber.withCheckDigits("850730033", false))).isTrue();
        String born2003 = NationalNumber.withCheckDigits("030615123", true);
        assertThat(NationalNumber.isValid(born2003)).isTrue();
        assertThat(born2003).isNotEqualTo(NationalNumber.withCheckDigits("030615123", false));
        assertThat(NationalNumber.isValid("85073003329")).isFalse();
        assertThat(NationalNumber.isValid("8507300332")).isFalse();
        assertThat(NationalNumber.isValid("8507300332a")).isFalse();
        assertThat(NationalNumber.isValid(null)).isFalse();
    }

    @Test
    void verifierRunsEveryCheckThenRevocation() {
        try (RevocationServer upstream = new RevocationServer()) {
            TestPki pki = upstream.pki;
            upstream.ocspAnswers(0);
            CertificateVerifier verifier = new CertificateVerifier(pki.trust(),
                    new RevocationChecker(upstream.settings(), Clock.systemUTC()), Clock.systemUTC());
            Issued card = pki.card(pki.citizen());
            CardHolder holder = verifier.verify(List.of(card.certificate()));
            assertThat(holder.cardType()).isEqualTo(CardType.CITIZEN);
            Issued signing = pki.card(pki.citizen().withKeyUsage(KeyUsage.nonRepudiation));
            refusedBy(CertificateChecks.KEY_USAGE, () -> verifier.verify(List.of(signing.certificate())));
            assertThat(upstream.ocspRequests()).as("a refused certificate never reaches the network").isEqualTo(1);
        }
    }
}
