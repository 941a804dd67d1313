package io.passerelle.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (the test PostgreSQL), which a test can cut and
 * restore to make a real outage: {@link #cut()} closes every connection through it, and connections
 * opened while cut are accepted and then never answered (a black hole: the client's connect succeeds and
 * its first read blocks, the worst case for a client without timeouts). {@link #freeze()} is the half-dead
 * network instead: connections stay open but nothing goes through any more, in either direction, and no
 * reset or end ever reaches the client. {@link #restore()} forwards again.
 */
public final class CuttableTcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** Every socket on either side, forwarded or held; closed by cut, restore (held ones) and close. */
    private final Set<Socket> forwarded = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean frozen;

    private CuttableTcpProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        threads.submit(this::acceptLoop);
    }

    public static CuttableTcpProxy to(String targetHost, int targetPort) {
        try {
            return new CuttableTcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the proxy's port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The outage: every open connection closed, new ones held unanswered. */
    public void cut() {
        cut = true;
        closeAll(forwarded);
    }

    /** The half-dead network: open connections silently swallow everything, new ones are held unanswered. */
    public void freeze() {
        frozen = true;
        cut = true;
    }

    /**
     * The database is back: held connections are closed (their clients fail and retry), new ones forwarded;
     * connections that swallowed bytes while frozen are closed (their protocol stream is broken anyway).
     */
    public void restore() {
        if (frozen) {
            closeAll(forwarded);
        }
        frozen = false;
        cut = false;
        closeAll(held);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeAll(forwarded);
        closeAll(held);
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (cut) {
                held.add(client);
            } else {
                threads.submit(() -> forward(client));
            }
        }
    }

    private void forward(Socket client) {
        forwarded.add(client);
        Socket upstream;
        try {
            upstream = new Socket(targetHost, targetPort);
        } catch (IOException e) {
            close(client);
            return;
        }
        forwarded.add(upstream);
        if (cut) { // cut while connecting
            close(client);
            close(upstream);
            return;
        }
        threads.submit(() -> pump(client, upstream));
        threads.submit(() -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!frozen) { // frozen: read and dropped, as a dead link would
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // one side went away: the other is closed below
        } finally {
            close(from);
            close(to);
        }
    }

    private void closeAll(Set<Socket> sockets) {
        for (Socket socket : sockets) {
            close(socket);
        }
    }

    private void close(Socket socket) {
        forwarded.remove(socket);
        held.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
