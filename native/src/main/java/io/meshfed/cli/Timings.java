package io.meshfed.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * With {@code MESHFED_TIMINGS} set, the milestones of a command on stderr, in milliseconds since the
 * JVM started (what a user waits for) with the CPU time spent until then, and at the end its CPU time,
 * peak memory and requests by verb:
 * where start-up and a run go, measured (BENCHMARKS.md, NoOpBenchmarkTest).
 */
final class Timings {

    private static final boolean ON = System.getenv("MESHFED_TIMINGS") != null;

    private Timings() {
    }

    static void mark(String milestone) {
        if (ON) {
            System.err.printf("timing: %s at %d ms (cpu %d ms)%n", milestone, uptime(), cpuMillis());
        }
    }

    /** The last line: wall, CPU (all threads, JIT and GC included), peak RSS, and the API requests sent by verb. */
    static void end(java.util.function.Supplier<Map<String, Long>> requests) {
        if (!ON) {
            return;
        }
        System.err.printf("timing: end at %d ms, cpu %d ms, peak RSS %s, requests %s%n", uptime(), cpuMillis(), peakRss(),
                new java.util.TreeMap<>(requests.get()));
    }

    /** The process's CPU time: all threads, JIT compilers and GC included. */
    private static long cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    private static long uptime() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** VmHWM of /proc/self/status (Linux), else unknown. */
    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return (Long.parseLong(line.replaceAll("\\D", "")) / 1024) + " MB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: unknown
        }
        return "unknown";
    }
}
