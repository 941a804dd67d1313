package io.passerelle.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;

/** BENCHMARK ONLY: where CPU, threads, memory and allocation are read. */
interface Meter {

    long cpuNanos();

    /** CPU ticks (10 ms) per kind of thread: JIT, GC, other. */
    Map<String, Long> threadTicks();

    long rssMiB();

    /** Heap allocated by every thread since start, or -1 when not visible. */
    long allocatedBytes();

    /** This JVM: gateway, upstream and driver together. */
    Meter THIS_JVM = new Meter() {
        @Override
        public long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        @Override
        public Map<String, Long> threadTicks() {
            return Profile.threadTicks();
        }

        @Override
        public long rssMiB() {
            return Storage.rssMiB();
        }

        @Override
        public long allocatedBytes() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
        }
    };
}
