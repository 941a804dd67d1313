package io.passerelle.connector.eid;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * One OCSP exchange (RFC 6960) for one certificate: a request with a fresh nonce (RFC 8954), and the answer's
 * checks, each named: {@value #RESPONSE_WELL_FORMED}, {@value #RESPONSE_SIGNATURE} (by the CA itself or a
 * delegated responder certificate issued directly by it with id-kp-OCSPSigning, RFC 6960 4.2.2.2),
 * {@value #NONCE}, {@value #FRESH} (thisUpdate / nextUpdate, RFC 6960 4.2.2.1) and the status.
 */
final class OcspCheck {

    static final String FETCH = "EidOcspAvailable";
    static final String RESPONSE_WELL_FORMED = "EidOcspResponseWellFormed";
    static final String RESPONSE_SIGNATURE = "EidOcspResponseSignature";
    static final String NONCE = "EidOcspNonce";
    static final String FRESH = "EidOcspFresh";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DigestCalculatorProvider DIGESTS;

    static {
        try {
            DIGESTS = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The answer and until when it may be reused (null: do not cache). */
    record Answer(RevocationStatus status, Instant cacheUntil) {
    }

    private OcspCheck() {
    }

    static Answer check(X509Certificate certificate, X509Certificate issuer, URI responder, RevocationFetcher fetcher,
                        RevocationSettings settings, Instant now) {
        CertificateID id = certificateId(certificate.getSerialNumber(), issuer);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        byte[] request;
        try {
            request = new OCSPReqBuilder().addRequest(id)
                    .setRequestExtensions(new Extensions(nonceExtension(nonce))).build().getEncoded();
        } catch (OCSPException | IOException e) {
            throw new ConnectorException(Kind.MISCONFIGURED, FETCH, "cannot build an OCSP request", e);
        }
        return verify(fetcher.postOcsp(responder, request, FETCH), id, issuer, nonce, settings, now);
    }

    static CertificateID certificateId(BigInteger serial, X509Certificate issuer) {
        try {
            return new CertificateID(DIGESTS.get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), serial);
        } catch (OCSPException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot compute an OCSP certificate id", e);
        }
    }

    static Extension nonceExtension(byte[] nonce) throws IOException {
        return new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce).getEncoded());
    }

    static Answer verify(byte[] body, CertificateID id, X509Certificate issuer, byte[] nonce, RevocationSettings settings,
                         Instant now) {
        BasicOCSPResp basic;
        try {
            OCSPResp response = new OCSPResp(body);
            if (response.getStatus() == OCSPResp.TRY_LATER || response.getStatus() == OCSPResp.INTERNAL_ERROR) {
                throw new ConnectorException(Kind.UNAVAILABLE, FETCH, "OCSP responder status " + response.getStatus());
            }
            if (response.getStatus() != OCSPResp.SUCCESSFUL || !(response.getResponseObject() instanceof BasicOCSPResp b)) {
                throw invalid(RESPONSE_WELL_FORMED, "OCSP response status " + response.getStatus());
            }
            basic = b;
        } catch (IOException | OCSPException | RuntimeException e) {
            if (e instanceof ConnectorException c) {
                throw c;
            }
            throw invalid(RESPONSE_WELL_FORMED, "malformed OCSP response");
        }
        checkSignature(basic, issuer, now);
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed == null) {
            if (settings.nonceRequired()) {
                throw invalid(NONCE, "OCSP response without our nonce");
            }
        } else {
            try {
                if (!Arrays.equals(echoed.getExtnValue().getOctets(), new DEROctetString(nonce).getEncoded())) {
                    throw invalid(NONCE, "OCSP response nonce does not match the request");
                }
            } catch (IOException e) {
                throw invalid(NONCE, "malformed OCSP nonce");
            }
        }
        SingleResp single = Arrays.stream(basic.getResponses()).filter(r -> r.getCertID().equals(id)).findFirst()
                .orElseThrow(() -> invalid(RESPONSE_WELL_FORMED, "OCSP response is not about this certificate"));
        Instant cacheUntil = freshUntil(single.getThisUpdate(), single.getNextUpdate(), settings, now, FRESH);
        CertificateStatus status = single.getCertStatus();
        RevocationStatus result = status == CertificateStatus.GOOD ? RevocationStatus.GOOD
                : status instanceof RevokedStatus ? RevocationStatus.REVOKED : RevocationStatus.UNKNOWN;
        return new Answer(result, cacheUntil);
    }

    /** Checks thisUpdate / nextUpdate against now; returns until when the answer may be cached, or null. */
    static Instant freshUntil(Date thisUpdate, Date nextUpdate, RevocationSettings settings, Instant now, String check) {
        if (thisUpdate == null || thisUpdate.toInstant().isAfter(now.plus(settings.clockSkew()))) {
            throw invalid(check, "thisUpdate is missing or in the future");
        }
        if (nextUpdate == null) {
            if (thisUpdate.toInstant().plus(settings.maxAgeWithoutNextUpdate()).isBefore(now)) {
                throw invalid(check, "answer without nextUpdate is too old");
            }
            return null;
        }
        if (nextUpdate.toInstant().plus(settings.clockSkew()).isBefore(now)) {
            throw invalid(check, "answer is stale (nextUpdate has passed)");
        }
        return nextUpdate.toInstant();
    }

    private static void checkSignature(BasicOCSPResp basic, X509Certificate issuer, Instant now) {
        try {
            X509CertificateHolder ca = new JcaX509CertificateHolder(issuer);
            ContentVerifierProvider byCa = new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey());
            if (matches(basic.getResponderId(), ca) && basic.isSignatureValid(byCa)) {
                return;
            }
            for (X509CertificateHolder delegate : basic.getCerts()) {
                if (delegate.getIssuer().equals(ca.getSubject()) && delegate.isSignatureValid(byCa)
                        && delegate.isValidOn(Date.from(now)) && hasOcspSigning(delegate)
                        && matches(basic.getResponderId(), delegate)
                        && basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(delegate))) {
                    return;
                }
            }
        } catch (OCSPException | OperatorCreationException | CertificateException | org.bouncycastle.cert.CertException e) {
            throw invalid(RESPONSE_SIGNATURE, "OCSP signature cannot be verified: " + e.getMessage());
        }
        throw invalid(RESPONSE_SIGNATURE, "OCSP response not signed by the CA or a responder it authorised");
    }

    private static boolean hasOcspSigning(X509CertificateHolder certificate) {
        ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(certificate.getExtensions());
        return usage != null && usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning);
    }

    private static boolean matches(RespID responder, X509CertificateHolder certificate) throws OCSPException {
        try {
            return responder.equals(new RespID(certificate.getSubject()))
                    || responder.equals(new RespID(certificate.getSubjectPublicKeyInfo(), DIGESTS.get(CertificateID.HASH_SHA1)));
        } catch (OperatorCreationException e) {
            throw new OCSPException("no SHA-1 digest", e);
        }
    }

    private static ConnectorException invalid(String check, String message) {
        return new ConnectorException(Kind.INVALID_RESPONSE, check, message);
    }
}
