package io.passerelle.connector.eid;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriUtils;

/**
 * Where the card certificate of a request to the eID endpoint comes from. On the eID TLS listener: the TLS
 * handshake, and nothing else (a header there is ignored and logged). Elsewhere: the configured reverse-proxy
 * header, and only from a configured proxy address; from anyone else the header is stripped and logged and the
 * endpoint does not exist, because a browser could send the header to impersonate any citizen.
 */
public final class ClientCertificates {

    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** A chain of a few certificates is a few KiB; Tomcat's own header limit is 8 KiB by default. */
    static final int MAX_HEADER_CHARS = 64 * 1024;
    private static final int MAX_CERTIFICATES = 6;
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
            Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Logger log = LoggerFactory.getLogger(ClientCertificates.class);

    /**
     * The certificates presented, or why the proxy's header could not be read ({@code problem}, then the chain is
     * empty); the connector turns a problem into a refused login with its own check name.
     */
    record Presented(List<X509Certificate> chain, String problem) {
        Presented {
            chain = List.copyOf(chain);
        }

        static Presented of(List<X509Certificate> chain) {
            return new Presented(chain, null);
        }

        static Presented unreadable(String problem) {
            return new Presented(List.of(), problem);
        }
    }

    private final EidListenerProperties listener;
    /** The proxies' addresses in canonical form: "::1" and Tomcat's "0:0:0:0:0:0:0:1" are one address. */
    private final java.util.Set<String> proxies;

    public ClientCertificates(EidListenerProperties listener) {
        this.listener = listener;
        this.proxies = listener.proxyAddresses().stream().map(address -> canonical(address, true))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * The eID callback as the broker reads any connector's: the login's {@code state} and the presented
     * chain; an unreadable proxy header travels as a parameter only this class sets, so the login fails
     * through the broker like any refusal (consumed, audited, a page for the citizen).
     */
    public io.passerelle.connector.Callback callbackFrom(jakarta.servlet.http.HttpServletRequest request) {
        Presented presented = from(request);
        java.util.Map<String, String> parameters = new java.util.HashMap<>();
        String state = request.getParameter("state");
        if (state != null) {
            parameters.put("state", state);
        }
        if (presented.problem() != null) {
            parameters.put(EidConnector.HEADER_PROBLEM, presented.problem());
        }
        return new io.passerelle.connector.Callback(parameters, presented.chain());
    }

    /**
     * An IP address literal in canonical form. Only literals are accepted (no DNS lookup, neither at start
     * nor per request): a configured host name is refused at start.
     */
    static String canonical(String address, boolean configured) {
        String literal = address.trim();
        boolean ip = literal.matches("[0-9.]+") || literal.matches("\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%\\w+)?]?");
        if (!ip) {
            if (configured) {
                throw new IllegalArgumentException("passerelle.eid-listener.proxy-addresses: '" + address
                        + "' is not an IP address (host names are not accepted: a DNS answer must not decide who is trusted)");
            }
            return literal;
        }
        try {
            return java.net.InetAddress.getByName(literal).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            if (configured) {
                throw new IllegalArgumentException("passerelle.eid-listener.proxy-addresses: '" + address
                        + "' is not a valid IP address", e);
            }
            return literal;
        }
    }

    /** The presented chain; a 404 when the request reached the endpoint neither on the listener nor via a proxy. */
    Presented from(HttpServletRequest request) {
        String header = listener.proxyHeader() == null ? null : request.getHeader(listener.proxyHeader());
        if (listener.port() != null && request.getLocalPort() == listener.port()) {
            if (header != null) {
                log.warn("eID certificate header from {} on the TLS listener ignored", request.getRemoteAddr());
            }
            return Presented.of(request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] presented
                    ? List.of(presented) : List.of());
        }
        if (header != null && proxies.contains(canonical(request.getRemoteAddr(), false))) {
            Presented parsed = parse(header);
            if (parsed.problem() != null) {
                log.warn("eID certificate header from proxy {} refused: {}", request.getRemoteAddr(), parsed.problem());
            }
            return parsed;
        }
        if (header != null) {
            log.warn("eID certificate header from {}, not a configured proxy: stripped", request.getRemoteAddr());
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }

    /**
     * Reads the proxy's header: a URL-encoded PEM certificate or chain (nginx {@code $ssl_client_escaped_cert}; only
     * %XX is decoded, since some proxies leave base64's '+' unescaped), a PEM whose line breaks became spaces, or
     * bare base64 DER (HAProxy {@code ssl_c_der,base64}), several separated by commas. Anything else, including
     * text around the certificates, is refused rather than guessed at.
     */
    static Presented parse(String header) {
        if (header.length() > MAX_HEADER_CHARS) {
            return Presented.unreadable("longer than " + MAX_HEADER_CHARS + " characters");
        }
        String text = header.strip();
        if (text.indexOf('%') >= 0) {
            try {
                text = UriUtils.decode(text, StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                return Presented.unreadable("invalid URL encoding");
            }
        }
        if (text.isEmpty()) {
            return Presented.unreadable("empty");
        }
        List<String> blocks = new ArrayList<>();
        if (text.contains("-----BEGIN")) {
            Matcher pem = PEM.matcher(text);
            StringBuilder outside = new StringBuilder();
            int end = 0;
            while (pem.find()) {
                blocks.add(pem.group(1));
                outside.append(text, end, pem.start());
                end = pem.end();
            }
            outside.append(text.substring(end));
            if (blocks.isEmpty() || !outside.toString().replace(",", "").isBlank()) {
                return Presented.unreadable("not a PEM certificate chain (other text than CERTIFICATE blocks)");
            }
        } else {
            blocks.addAll(List.of(text.split(",")));
        }
        if (blocks.size() > MAX_CERTIFICATES) {
            return Presented.unreadable("more than " + MAX_CERTIFICATES + " certificates");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (String block : blocks) {
            try {
                byte[] der = Base64.getDecoder().decode(WHITESPACE.matcher(block).replaceAll(""));
                chain.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException e) {
                return Presented.unreadable("not base64");
            } catch (CertificateException | ClassCastException e) {
                return Presented.unreadable("not an X.509 certificate");
            }
        }
        return Presented.of(chain);
    }
}
