package io.meshfed.it;

import io.meshfed.provisioner.simulate.RequestLog;
import io.meshfed.provisioner.simulate.Simulation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of the packaged application in its own process (as {@code ./meshfed} runs it) against
 * simulated clusters, with {@code MESHFED_TIMINGS}: its wall time, the milestones it printed, its
 * CPU time and peak RSS, and its requests as the API servers counted them.
 *
 * @param wallMs       from starting the process to its end, measured here
 * @param firstMs      JVM start to the first API answer (-1: none)
 * @param startupCpuMs CPU time spent until every cluster had answered (-1: not reached)
 * @param cpuMs        CPU time of the whole process
 * @param requests     by kind: read (a get), list, watch, dry-run, write, lock (the run lock's Lease)
 */
record PackagedRun(long wallMs, long firstMs, long startupCpuMs, long cpuMs, long rssMb, Map<String, Long> requests,
                   String stderr) {

    /** The JVM options {@code ./meshfed} gives a command that runs and ends (C1 alone, the serial GC). */
    static final String CLI_JVM = "@" + Repo.root().resolve("scripts/jvm-cli.args");

    private static final Pattern FIRST = Pattern.compile("timing: first API request answered at (\\d+) ms");
    private static final Pattern STARTED = Pattern.compile("timing: clusters answered at \\d+ ms \\(cpu (\\d+) ms\\)");
    private static final Pattern END = Pattern.compile("timing: end at (\\d+) ms, cpu (\\d+) ms, peak RSS (\\d+) MB");

    static PackagedRun run(Path tmp, Path kubeconfig, Simulation simulation, List<String> jvm, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", Repo.packagedApplication().toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("MESHFED_TIMINGS", "1");
        builder.environment().put("HOME", tmp.toString());
        simulation.clusters().forEach(c -> c.requests().clear());
        long start = System.nanoTime();
        Process process = builder.start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        long wall = (System.nanoTime() - start) / 1_000_000;
        String output = Files.readString(err);
        assertThat(process.exitValue()).as(output + "\n" + Files.readString(out)).isZero();
        Map<String, Long> requests = new TreeMap<>();
        for (var cluster : simulation.clusters()) {
            for (RequestLog.Entry e : cluster.requests().entries()) {
                if (!e.controller()) {
                    requests.merge(kind(e), 1L, Long::sum);
                }
            }
        }
        Matcher first = FIRST.matcher(output);
        Matcher started = STARTED.matcher(output);
        Matcher end = END.matcher(output);
        assertThat(end.find()).as(output).isTrue();
        return new PackagedRun(wall, first.find() ? Long.parseLong(first.group(1)) : -1,
                started.find() ? Long.parseLong(started.group(1)) : -1, Long.parseLong(end.group(2)),
                Long.parseLong(end.group(3)), requests, output);
    }

    /** Requests besides the run lock's. */
    long objectRequests() {
        return requests.entrySet().stream().filter(e -> !e.getKey().equals("lock")).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * What a request was: the run lock's Lease (taken, renewed, released) apart; a GET of a collection
     * (the path's segments after the version are odd in number: {@code plural} or
     * {@code namespaces/ns/plural}) is a list, of one object a read.
     */
    private static String kind(RequestLog.Entry e) {
        if (e.path().contains("/leases")) {
            return "lock";
        }
        if (e.watch()) {
            return "watch";
        }
        if (e.dryRun()) {
            return "dry-run";
        }
        if (e.write()) {
            return "write";
        }
        String[] segments = e.path().replaceFirst("^/", "").split("/");
        int afterVersion = segments.length - (segments[0].equals("api") ? 2 : 3);
        return afterVersion > 0 && afterVersion % 2 == 1 ? "list" : "read";
    }
}
