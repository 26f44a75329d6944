package io.strix.it.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The recovery times the suite measured, one row per fault and service, printed as a Markdown table. */
final class RecoveryTable {
    /**
     * @param fault       what was done
     * @param service     whose recovery the row measures
     * @param from        the moment the times count from
     * @param readyMillis until {@code /health/ready} answered 200 again, or -1 when not measured
     * @param outputMillis until the service's first new output
     * @param output      what that output is and how its time is taken
     */
    record Row(String fault, String service, String from, long readyMillis, long outputMillis, String output) {
    }

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(String fault, String service, String from, long readyMillis, long outputMillis,
                          String output) {
        Row row = new Row(fault, service, from, readyMillis, outputMillis, output);
        rows.add(row);
        System.out.println("[faults] " + line(row));
    }

    synchronized String markdown() {
        StringBuilder table = new StringBuilder();
        table.append("| fault | service | measured from | ready again | first new output | output |\n");
        table.append("|---|---|---|---|---|---|\n");
        rows.forEach(row -> table.append(line(row)).append('\n'));
        return table.toString();
    }

    private static String line(Row row) {
        return "| " + row.fault() + " | " + row.service() + " | " + row.from() + " | " + seconds(row.readyMillis())
                + " | " + seconds(row.outputMillis()) + " | " + row.output() + " |";
    }

    private static String seconds(long millis) {
        return millis < 0 ? "—" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
