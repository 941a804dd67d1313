package io.passerelle.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BENCHMARK ONLY: a gateway started from a built jar in a process of its own ({@code -Dbench.jars}),
 * with the JVM options the build runs it with (the pom's {@code passerelle.jvm}), so that its CPU,
 * resident memory, garbage collection and start time are the gateway's alone, read from /proc, and
 * two builds (an older jar and this one) are measured by the same driver in one run.
 */
final class ExternalGateway implements Meter, AutoCloseable {

    /** Linux's clock ticks per second for /proc CPU times (USER_HZ). */
    private static final double TICK_NANOS = 1e9 / 100;

    private final Process process;
    private final long pid;
    private final long startNanos;
    private long discoveryMillis = -1;

    private ExternalGateway(Process process, long startNanos) {
        this.process = process;
        this.pid = process.pid();
        this.startNanos = startNanos;
    }

    /** Starts {@code java <options> -jar jar <args>} (output to {@code log}), and waits for discovery. */
    static ExternalGateway start(Path jar, List<String> jvmOptions, List<String> args, String issuer, Path log)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java")); // the build's JDK
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ExternalGateway gateway = new ExternalGateway(process, started);
        gateway.awaitDiscovery(issuer, log);
        return gateway;
    }

    private void awaitDiscovery(String issuer, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway stopped at start (exit " + process.exitValue() + "); see " + log);
            }
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    discoveryMillis = (System.nanoTime() - startNanos) / 1_000_000;
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50); // a poll of the port while the process starts
        }
        throw new IllegalStateException("no discovery within 3 minutes; see " + log);
    }

    long discoveryMillis() {
        return discoveryMillis;
    }

    @Override
    public long cpuNanos() {
        String[] fields = statFields(Path.of("/proc", Long.toString(pid), "stat"));
        return (long) ((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS);
    }

    @Override
    public Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(Profile.kind(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    @Override
    public long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Not visible from outside the process: the in-process benchmark measures allocation. */
    @Override
    public long allocatedBytes() {
        return -1;
    }

    private static String[] statFields(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            throw new IllegalStateException("the gateway process is gone", e);
        }
    }

    /** The pom's {@code passerelle.jvm} (what spring-boot:run and bin/passerelle start the gateway with). */
    static List<String> buildJvmOptions() throws IOException {
        Matcher m = Pattern.compile("<passerelle\\.jvm>([^<]+)</passerelle\\.jvm>").matcher(Files.readString(Path.of("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("pom.xml has no <passerelle.jvm> property");
        }
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: Spring's graceful shutdown
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
