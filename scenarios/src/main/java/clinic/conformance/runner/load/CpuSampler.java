package clinic.conformance.runner.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * CPU time by process while the load series runs, sampled twice a second from {@code /proc}: the server (this JVM,
 * which hosts the reference server), the Google/LLM mock (its own process where it has one), PostgreSQL (every
 * {@code postgres} process) and the generator. Each booking phase's CPU per booking is read from the samples at its
 * start and end. Where {@code /proc} cannot be read the figures are left out, never guessed.
 */
final class CpuSampler implements AutoCloseable {
    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU in hundredths of a second. */
    private static final double TICKS_PER_MS = 0.1;
    static final List<String> GROUPS = List.of("server", "mock", "database", "generator");
    private final OptionalLong mockPid;
    private volatile OptionalLong generatorPid = OptionalLong.empty();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** CPU milliseconds by group at one instant. */
    record Sample(long epochMs, Map<String, Double> cpuMs) {
    }

    CpuSampler(OptionalLong mockPid) {
        this.mockPid = mockPid;
        this.thread = new Thread(this::loop, "load-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void generator(long pid) {
        generatorPid = OptionalLong.of(pid);
    }

    private void loop() {
        while (running) {
            sample().ifPresent(samples::add);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private java.util.Optional<Sample> sample() {
        var cpu = new LinkedHashMap<String, Double>();
        try {
            cpu.put("server", cpuMs(ProcessHandle.current().pid()));
            cpu.put("mock", mockPid.isPresent() ? cpuMs(mockPid.getAsLong()) : 0.0);
            double database = 0;
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .toList()) {
                    try {
                        if (Files.readString(process.resolve("comm")).strip().equals("postgres")) {
                            database += cpuMs(Long.parseLong(process.getFileName().toString()));
                        }
                    } catch (IOException gone) {
                        // a backend that ended between the listing and the read
                    }
                }
            }
            cpu.put("database", database);
            cpu.put("generator", generatorPid.isPresent() ? cpuMs(generatorPid.getAsLong()) : 0.0);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Sample(System.currentTimeMillis(), cpu));
    }

    private static double cpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_MS;
    }

    /** CPU ms per request of a phase that ran from {@code startedMs} to {@code endedMs} and answered {@code requests}. */
    Map<String, Double> perRequest(long startedMs, long endedMs, long requests) {
        var result = new LinkedHashMap<String, Double>();
        if (requests == 0 || samples.size() < 2) {
            return result;
        }
        Sample start = nearest(startedMs);
        Sample end = nearest(endedMs);
        if (end.epochMs() <= start.epochMs()) {
            return result;
        }
        for (String group : GROUPS) {
            double used = end.cpuMs().get(group) - start.cpuMs().get(group);
            result.put(group, Math.round(used / requests * 100) / 100.0);
        }
        return result;
    }

    private Sample nearest(long epochMs) {
        Sample best = samples.get(0);
        for (Sample sample : samples) {
            if (Math.abs(sample.epochMs() - epochMs) < Math.abs(best.epochMs() - epochMs)) {
                best = sample;
            }
        }
        return best;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
