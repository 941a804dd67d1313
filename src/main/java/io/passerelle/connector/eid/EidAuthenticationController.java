package io.passerelle.connector.eid;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import io.passerelle.broker.Broker;
import io.passerelle.broker.LoginFailure;
import io.passerelle.connector.Callback;

/**
 * Where {@link EidConnector#start} sends the browser: on the eID TLS listener the client certificate chain
 * comes from the handshake; in reverse-proxy mode from the configured header, and only when the request comes
 * from a configured proxy address ({@link ClientCertificates}). On any other port or from anyone else the
 * endpoint does not exist, and a certificate header is ignored and logged (a browser could send one to
 * impersonate any citizen).
 */
@Controller
public class EidAuthenticationController {

    private final Broker broker;
    private final ClientCertificates certificates;

    public EidAuthenticationController(Broker broker, EidListenerProperties listener) {
        this.broker = broker;
        this.certificates = new ClientCertificates(listener);
    }

    @GetMapping(EidConnector.PATH + "{connectorId}")
    public String authenticate(@PathVariable String connectorId, @RequestParam(required = false) String state,
                               HttpServletRequest request, HttpServletResponse response, Model model) {
        ClientCertificates.Presented presented = certificates.from(request);
        Map<String, String> parameters = new HashMap<>();
        if (state != null) {
            parameters.put("state", state);
        }
        if (presented.problem() != null) {
            // Through the broker like any refusal: the transaction is consumed, audited, and the citizen gets a page.
            parameters.put(EidConnector.HEADER_PROBLEM, presented.problem());
        }
        try {
            Callback callback = new Callback(parameters, presented.chain());
            return "redirect:" + broker.finish(connectorId, callback, request, response);
        } catch (LoginFailure failure) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("reason", failure.reason());
            model.addAttribute("reference", failure.reference());
            return "login-error";
        }
    }
}
