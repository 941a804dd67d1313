package io.passerelle.connector.eid;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import io.passerelle.broker.Broker;
import io.passerelle.broker.LoginFailure;
import io.passerelle.connector.Callback;

/**
 * Where {@link EidConnector#start} sends the browser: on the eID TLS listener the client certificate chain
 * comes from the handshake; in reverse-proxy mode from the configured header, and only when the request comes
 * from a configured proxy address. On any other port or from anyone else the endpoint does not exist, and a
 * certificate header is ignored and logged (a browser could send one to impersonate any citizen).
 */
@Controller
public class EidAuthenticationController {

    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private static final Logger log = LoggerFactory.getLogger(EidAuthenticationController.class);

    private final Broker broker;
    private final EidListenerProperties listener;

    public EidAuthenticationController(Broker broker, EidListenerProperties listener) {
        this.broker = broker;
        this.listener = listener;
    }

    @GetMapping(EidConnector.PATH + "{connectorId}")
    public String authenticate(@PathVariable String connectorId, @RequestParam(required = false) String state,
                               HttpServletRequest request, HttpServletResponse response, Model model) {
        List<X509Certificate> chain = chain(request);
        try {
            Callback callback = new Callback(state == null ? Map.of() : Map.of("state", state), chain);
            return "redirect:" + broker.finish(connectorId, callback, request, response);
        } catch (LoginFailure failure) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("reason", failure.reason());
            model.addAttribute("reference", failure.reference());
            return "login-error";
        }
    }

    private List<X509Certificate> chain(HttpServletRequest request) {
        String header = listener.proxyHeader() == null ? null : request.getHeader(listener.proxyHeader());
        if (listener.port() != null && request.getLocalPort() == listener.port()) {
            if (header != null) {
                log.warn("eID certificate header from {} on the TLS listener ignored", request.getRemoteAddr());
            }
            return request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] presented
                    ? List.of(presented) : List.of();
        }
        if (header != null && listener.proxyAddresses().contains(request.getRemoteAddr())) {
            return parse(header);
        }
        if (header != null) {
            log.warn("eID certificate header from {}, not a configured proxy: stripped", request.getRemoteAddr());
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }

    /** A URL-encoded PEM chain (nginx $ssl_client_escaped_cert) or a bare PEM / base64 DER certificate. */
    static List<X509Certificate> parse(String header) {
        String text = header.contains("%") ? URLDecoder.decode(header, StandardCharsets.UTF_8) : header;
        if (!text.contains("-----BEGIN")) {
            text = "-----BEGIN CERTIFICATE-----\n" + text.trim() + "\n-----END CERTIFICATE-----\n";
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))).forEach(c -> chain.add((X509Certificate) c));
            return chain;
        } catch (CertificateException e) {
            log.warn("malformed eID certificate header from the proxy");
            return List.of();
        }
    }
}
