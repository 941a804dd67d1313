package io.passerelle.connector.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.LimitedBody;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * Every outbound call of one OIDC connector, with its connect timeout (on the client) and read timeout
 * (on each request, plus an overall deadline of connect + read so that a provider trickling its answer
 * byte by byte cannot hold a login thread either). Redirects are not followed: a provider endpoint that
 * redirects is misconfigured, and following it would send the client credentials elsewhere. Bodies are
 * capped, since a provider's answer is a few kilobytes.
 */
final class OidcHttp {

    static final int MAX_BODY_BYTES = 512 * 1024;

    /** An answer: status, content type (lower case, without parameters, or empty) and body. */
    record Response(int status, String contentType, byte[] body) {

        String text() {
            return new String(body, UTF_8);
        }

        boolean serverError() {
            // 429 too: the provider is up but will not serve us now, which the citizen sees as unavailability.
            return status >= 500 || status == 429;
        }
    }

    /** Upper bounds of the latency histogram's buckets: from a fast local provider to the deadline. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final HttpClient client;
    private final Duration readTimeout;
    private final Duration deadline;
    private final String connectorId;
    private final MeterRegistry meters;

    /**
     * @param connectorId the configured connector's id: the {@code connector} label of
     *                    {@code passerelle_upstream_requests_seconds}, with the endpoint and the outcome
     */
    OidcHttp(Duration connectTimeout, Duration readTimeout, String connectorId, MeterRegistry meters) {
        this.connectorId = connectorId;
        this.meters = meters;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.readTimeout = readTimeout;
        this.deadline = connectTimeout.plus(readTimeout);
    }

    Response get(URI uri, String accept, String authorization, String step) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", accept);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request, step);
    }

    Response postForm(URI uri, Map<String, String> form, String authorization, String step) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request, step);
    }

    /** application/x-www-form-urlencoded, as RFC 6749 Appendix B asks for form and query parameters. */
    static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }

    /** One call, timed per connector, endpoint and outcome (HTTP status class, or why there was no answer). */
    private Response send(HttpRequest.Builder builder, String step) {
        long start = System.nanoTime();
        String outcome = "unreachable";
        try {
            Response response = exchange(builder, step);
            outcome = response.status() / 100 + "xx";
            return response;
        } catch (ConnectorException e) {
            outcome = e.kind() == Kind.INVALID_RESPONSE ? "too-large" : "unreachable";
            throw e;
        } finally {
            Timer.builder("passerelle.upstream.requests").description("Calls to upstream identity providers")
                    .tags("connector", connectorId, "endpoint", endpoint(step), "outcome", outcome)
                    .serviceLevelObjectives(BUCKETS).register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The endpoint label: the provider endpoint a check step calls (a fixed set, never a URL). */
    static String endpoint(String step) {
        return switch (step) {
            case TokenClient.STEP -> "token";
            case UserInfoClient.STEP -> "userinfo";
            default -> step.toLowerCase(Locale.ROOT); // "discovery", "jwks"
        };
    }

    private Response exchange(HttpRequest.Builder builder, String step) {
        HttpRequest request = builder.timeout(readTimeout).build();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new LimitedBody(MAX_BODY_BYTES));
        try {
            HttpResponse<byte[]> response = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            String type = response.headers().firstValue("Content-Type").orElse("")
                    .split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            return new Response(response.statusCode(), type, response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ConnectorException(Kind.TIMEOUT, step,
                    "no complete answer within " + deadline.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ConnectorException(Kind.UNAVAILABLE, step, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LimitedBody.TooLarge) {
                throw new ConnectorException(Kind.INVALID_RESPONSE, step,
                        "the answer from " + request.uri().getHost() + " exceeds " + MAX_BODY_BYTES + " bytes");
            }
            // Connect or response timeout: the provider is slow; refused, reset, TLS failure: it cannot be
            // reached. The citizen reads a different sentence for each (issue 13).
            String reason = cause == null ? "failed" : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw new ConnectorException(Kind.TIMEOUT, step, "provider too slow: " + reason, cause);
            }
            throw new ConnectorException(Kind.UNREACHABLE, step, "provider unreachable: " + reason, cause);
        }
    }
}
