package io.passerelle.connector.eid;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.demo.DemoCertificates.CardSpec;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * A fresh eID-shaped PKI for one test run, and an OCSP responder / CRL issuer that the test steers: which
 * serials are revoked, which answer to forge. Nothing here is committed, so nothing expires in the build.
 */
public final class TestPki {

    public static final String CITIZEN_NN = "85073003328";
    private static final AtomicInteger NEXT = new AtomicInteger(1);

    public final Issued root = DemoCertificates.root("Test Root CA4");
    public final Issued citizenCa;
    public final Issued foreignerCa;
    public final Issued responder;
    public final Issued otherRoot = DemoCertificates.root("Untrusted Root");
    public final Issued otherCa = DemoCertificates.issuingCa("Citizen CA", "202401", otherRoot);
    /** Serials (cards and CAs) that the OCSP answers, the CRLs and the root's ARL list as revoked. */
    public final Set<BigInteger> revoked = new HashSet<>();
    private final String ocspUrl;
    private final String crlUrl;

    /** How the next OCSP answers are built. */
    public enum Mode { GOOD_BY_CA, GOOD_BY_DELEGATE, WRONG_SIGNER, STALE, WRONG_NONCE, NO_NONCE, UNKNOWN, MALFORMED }

    public volatile Mode mode = Mode.GOOD_BY_DELEGATE;

    /** Cards naming these OCSP and CRL URLs; the issuing CAs name no ARL. */
    public TestPki(String ocspUrl, String crlUrl) {
        this(ocspUrl, crlUrl, null);
    }

    /** As above, and the issuing CAs name {@code arlUrl}, the root's CRL, as their distribution point. */
    public TestPki(String ocspUrl, String crlUrl, String arlUrl) {
        this.ocspUrl = ocspUrl;
        this.crlUrl = crlUrl;
        this.citizenCa = DemoCertificates.issuingCa("Citizen CA", "202401", root, arlUrl);
        this.foreignerCa = DemoCertificates.issuingCa("Foreigner CA", "202401", root, arlUrl);
        this.responder = DemoCertificates.ocspResponder("Citizen CA OCSP", citizenCa);
    }

    public CardSpec citizen() {
        return CardSpec.citizen(CITIZEN_NN, "Alice Geldigekaart", "SPECIMEN", ocspUrl, crlUrl);
    }

    public Issued card(CardSpec spec) {
        return DemoCertificates.card(spec, citizenCa);
    }

    public TrustSettings trust() {
        return new TrustSettings(List.of(root.certificate()), List.of(citizenCa.certificate(), foreignerCa.certificate()),
                CardTypeRule.defaults());
    }

    /** The OCSP answer to a request, according to {@link #mode} and {@link #revoked}. */
    public byte[] answer(byte[] requestBytes) {
        try {
            if (mode == Mode.MALFORMED) {
                return "this is not DER".getBytes();
            }
            OCSPReq request = new OCSPReq(requestBytes);
            Req single = request.getRequestList()[0];
            CertificateID id = single.getCertID();
            Issued signer = switch (mode) {
                case GOOD_BY_CA -> citizenCa;
                case WRONG_SIGNER -> DemoCertificates.ocspResponder("Rogue OCSP", otherCa);
                default -> responder;
            };
            X509CertificateHolder signerHolder = new JcaX509CertificateHolder(signer.certificate());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(signerHolder.getSubject()));
            Instant now = Instant.now();
            Date thisUpdate = Date.from(mode == Mode.STALE ? now.minusSeconds(7200) : now.minusSeconds(60));
            Date nextUpdate = Date.from(mode == Mode.STALE ? now.minusSeconds(3600) : now.plusSeconds(3600));
            CertificateStatus status = mode == Mode.UNKNOWN ? new UnknownStatus()
                    : revoked.contains(id.getSerialNumber())
                    ? new RevokedStatus(Date.from(now.minusSeconds(86400)), CRLReason.keyCompromise)
                    : CertificateStatus.GOOD;
            builder.addResponse(id, status, thisUpdate, nextUpdate, null);
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (mode == Mode.WRONG_NONCE) {
                builder.setResponseExtensions(new org.bouncycastle.asn1.x509.Extensions(
                        OcspCheck.nonceExtension(new byte[] {1, 2, 3, 4})));
            } else if (nonce != null && mode != Mode.NO_NONCE) {
                builder.setResponseExtensions(new org.bouncycastle.asn1.x509.Extensions(nonce));
            }
            X509CertificateHolder[] chain = signer == citizenCa ? null : new X509CertificateHolder[] {signerHolder};
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                    new JcaContentSignerBuilder(DemoCertificates.signatureAlgorithm(signer.key())).build(signer.key()),
                    chain, new Date())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A CRL of {@link #revoked}, signed by {@code signer} and current unless {@code stale}, with {@code extensions}
     * (e.g. an issuing distribution point) added.
     */
    public byte[] crl(Issued signer, boolean stale, Extension... extensions) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(signer.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(stale ? now.minusSeconds(7200) : now.minusSeconds(60)));
            builder.setNextUpdate(Date.from(stale ? now.minusSeconds(3600) : now.plusSeconds(3600)));
            for (BigInteger serial : revoked) {
                builder.addCRLEntry(serial, Date.from(now.minusSeconds(86400)), CRLReason.keyCompromise);
            }
            builder.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(
                    BigInteger.valueOf(NEXT.incrementAndGet())));
            for (Extension extension : extensions) {
                builder.addExtension(extension);
            }
            X509CRLHolder crl = builder.build(new JcaContentSignerBuilder(
                    DemoCertificates.signatureAlgorithm(signer.key())).build(signer.key()));
            return crl.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<X509Certificate> chain(Issued card, Issued ca) {
        return List.of(card.certificate(), ca.certificate());
    }
}
