package testonly;

import java.time.Instant;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.identity.CitizenAuthentication;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * TEST ONLY (outside io.passerelle, so component scanning never picks it up): signs a synthetic citizen into the browser session the way the broker will after an
 * upstream login, so the issuer can be tested before and independently of any connector.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSignInConfiguration {

    public static final String PATH = "/test-only/sign-in";

    @Bean
    @Order(-10)
    SecurityFilterChain testSignInChain(HttpSecurity http) {
        http.securityMatcher(PATH).authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.disable());
        return http.build();
    }

    /** Connector type {@code test}: see {@link TestConnectorFactory}. */
    @Bean
    TestConnectorFactory testConnectorFactory() {
        return new TestConnectorFactory();
    }

    /** Registered as a member class of this imported configuration. */
    @RestController
    public static class TestSignInController {
        private final HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();

        @PostMapping(PATH)
        ResponseEntity<String> signIn(@RequestParam String citizen, @RequestParam String acr,
                                      @RequestParam(defaultValue = "") String amr,
                                      HttpServletRequest request, HttpServletResponse response) {
            request.getSession(true);
            request.changeSessionId();
            CitizenAuthentication authentication = CitizenAuthentication.of(citizen, "test-fixture", acr,
                    amr.isBlank() ? java.util.List.of() : Arrays.asList(amr.split(" ")), Instant.now())
                    .inBrowser(CitizenAuthentication.browserSid(request.getSession()));
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(authentication);
            repository.saveContext(context, request, response);
            return ResponseEntity.ok("signed in");
        }
    }
}
