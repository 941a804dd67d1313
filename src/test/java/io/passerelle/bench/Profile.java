package io.passerelle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * BENCHMARK ONLY: a Java Flight Recorder recording around the benchmark, summarised as the methods on
 * top of the most CPU samples, and the Passerelle/library frames nearest the top ("where the time goes").
 */
final class Profile implements AutoCloseable {

    private final Recording recording = new Recording();
    private Path file;

    Profile() {
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
        // Sampled allocations (JFR's default throttle), weighted by the bytes each sample stands for.
        recording.enable("jdk.ObjectAllocationSample");
        if (System.getProperty("bench.jfr") != null) {
            // For the kept recording only: what keeps the JIT compilers busy late in the run.
            recording.enable("jdk.Compilation").withThreshold(java.time.Duration.ZERO);
            recording.enable("jdk.Deoptimization");
            recording.enable("jdk.ClassDefine");
            recording.enable("jdk.ClassLoadingStatistics").withPeriod(java.time.Duration.ofSeconds(1));
        }
        recording.start();
    }

    void printHottest(int rows) throws Exception {
        recording.stop();
        file = Files.createTempFile("passerelle-bench", ".jfr");
        recording.dump(file);
        String keep = System.getProperty("bench.jfr");
        if (keep != null) {
            // For a closer look afterwards (jfr print, JDK Mission Control).
            Files.copy(file, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int total = 0;
        Map<String, Long> allocatedByArea = new HashMap<>();
        Map<String, Long> allocatedByOurs = new HashMap<>();
        long allocated = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.ObjectAllocationSample") && event.getStackTrace() != null) {
                long weight = event.getLong("weight");
                allocated += weight;
                var frames = event.getStackTrace().getFrames();
                frames.stream().map(f -> area(f.getMethod().getType().getName())).filter(java.util.Objects::nonNull)
                        .findFirst().ifPresent(a -> allocatedByArea.merge(a, weight, Long::sum));
                frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("io.passerelle")
                                && !f.getMethod().getType().getName().startsWith("io.passerelle.bench")).findFirst()
                        .ifPresent(f -> allocatedByOurs.merge(f.getMethod().getType().getName() + "."
                                + f.getMethod().getName(), weight, Long::sum));
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            total++;
            var frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                RecordedFrame f = frames.getFirst();
                top.merge(f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1, Integer::sum);
            }
            frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("io.passerelle")).findFirst()
                    .ifPresent(f -> ours.merge(f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1,
                            Integer::sum));
            // Attribute each sample once to the first frame of a known area, from the top.
            for (RecordedFrame f : frames) {
                String area = area(f.getMethod().getType().getName());
                if (area != null) {
                    packages.merge(area, 1, Integer::sum);
                    break;
                }
            }
        }
        System.out.println("\nCPU samples: " + total + " (10 ms period, all threads: gateway, upstream and driver)");
        System.out.println("By area (first recognised frame from the top of each sample):");
        int all = Math.max(total, 1);
        packages.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        System.out.println("Passerelle methods nearest the top of the stack (samples under them):");
        ours.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        long bytes = Math.max(allocated, 1);
        System.out.println("Heap allocation (JFR samples, by weight; first recognised frame from the top):");
        allocatedByArea.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / bytes, e.getKey()));
        System.out.println("Passerelle methods nearest the top of the allocating stacks:");
        allocatedByOurs.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / bytes, e.getKey()));
        System.out.println("Hottest methods (top frame):");
        top.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    }

    /**
     * CPU ticks (1/100 s) of this JVM's live threads by kind, from /proc (Linux; empty elsewhere): what
     * the sampler cannot see, such as the garbage collector and the JIT compilers.
     */
    static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return ticks;
        }
        try (var dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    ticks.merge(kind(name), used, Long::sum);
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return ticks;
        }
        return ticks;
    }

    static String kind(String thread) {
        if (thread.contains("Compiler")) {
            return "JIT";
        }
        if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
            return "GC";
        }
        return "other";
    }

    private static String area(String type) {
        if (type.startsWith("sun.security.ec") || type.startsWith("sun.security.rsa") || type.startsWith("com.nimbusds.jose.crypto")
                || type.startsWith("sun.security.util.math") || type.startsWith("java.math")) {
            return "crypto (signatures, verification)";
        }
        if (type.startsWith("org.h2") || type.startsWith("com.zaxxer") || type.startsWith("org.springframework.jdbc")) {
            return "database (H2, pool, JDBC)";
        }
        if (type.startsWith("tools.jackson") || type.startsWith("com.fasterxml") || type.startsWith("net.minidev")
                || type.startsWith("com.nimbusds.jose.shaded")) {
            return "JSON (Jackson, json-smart)";
        }
        if (type.startsWith("org.apache.tomcat") || type.startsWith("org.apache.coyote") || type.startsWith("jdk.internal.net")
                || type.startsWith("java.net.http") || type.startsWith("sun.nio") || type.startsWith("com.sun.net.httpserver")) {
            return "HTTP (Tomcat, JDK client and server)";
        }
        if (type.startsWith("org.springframework.security")) {
            return "Spring Security / Authorization Server";
        }
        if (type.startsWith("org.springframework")) {
            return "Spring (MVC, context)";
        }
        if (type.startsWith("io.passerelle")) {
            return "Passerelle";
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        recording.close();
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
