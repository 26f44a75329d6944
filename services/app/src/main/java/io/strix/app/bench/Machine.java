package io.strix.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, as the results need to name it. */
record Machine(String cpuModel, int cores, double memoryGiB, String java) {

    static Machine here() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize() / (double) (1L << 30),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The 1-minute load average (/proc/loadavg, else the JVM's view); -1 where unknown. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    /**
     * CPU time the whole machine spent busy (every process and the kernel; /proc/stat's user, nice, system, irq,
     * softirq and steal) since boot, in seconds; -1 where unknown. Less this process's own, it shows what other
     * jobs took while a benchmark ran.
     */
    static double busyCpuSeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system (idle iowait) irq softirq steal
                ticks += Long.parseLong(f[i]);
            }
            return ticks / 100.0; // USER_HZ is 100 on every Linux architecture Java runs on
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB, %s", cpuModel, cores, memoryGiB, java);
    }
}
