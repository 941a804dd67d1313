package io.passerelle.connector.eid;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.LimitedBody;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The only way revocation data is fetched: allow-listed URLs only, no redirects (a redirect could leave the
 * allow-list), a connect timeout and a total deadline for the whole answer, and a size cap.
 */
final class RevocationFetcher {

    static final String URL_ALLOWED = "EidRevocationUrlAllowed";

    private final RevocationSettings settings;
    private final HttpClient client;

    RevocationFetcher(RevocationSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    byte[] postOcsp(URI url, byte[] request, String check) {
        return send(HttpRequest.newBuilder(url).header("Content-Type", "application/ocsp-request")
                .header("Accept", "application/ocsp-response")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)), url, 64 * 1024, check);
    }

    byte[] getCrl(URI url, String check) {
        return send(HttpRequest.newBuilder(url).GET(), url, settings.maxCrlBytes(), check);
    }

    private byte[] send(HttpRequest.Builder builder, URI url, long maxBytes, String check) {
        if (!settings.allowed(url)) {
            throw new ConnectorException(Kind.MISCONFIGURED, URL_ALLOWED, "revocation URL not in the allow-list: " + url);
        }
        Duration deadline = settings.readTimeout();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(builder.timeout(deadline).build(),
                info -> new LimitedBody(maxBytes));
        try {
            HttpResponse<byte[]> response = future.get(deadline.toMillis() + settings.connectTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw new ConnectorException(Kind.UNAVAILABLE, check, url.getHost() + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ConnectorException(Kind.UNAVAILABLE, check, url.getHost() + " did not answer in time");
        } catch (ExecutionException e) {
            throw new ConnectorException(Kind.UNAVAILABLE, check, url.getHost() + " unreachable: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(Kind.UNAVAILABLE, check, "interrupted");
        }
    }
}
