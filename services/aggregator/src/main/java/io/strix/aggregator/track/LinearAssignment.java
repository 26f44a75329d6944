package io.strix.aggregator.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Optimal assignment of rows to columns of a cost matrix (minimum total cost), by the shortest augmenting path
 * method with dual potentials (Hungarian algorithm in the Jonker-Volgenant form), O(n² m).
 */
public final class LinearAssignment {
    private LinearAssignment() {
    }

    /** The outcome of {@link #assign}: matched pairs and what stayed unmatched, each in ascending order. */
    public record Result(List<int[]> matches, int[] unmatchedRows, int[] unmatchedColumns) {
    }

    /**
     * Assigns every row to a distinct column when rows ≤ columns (every column to a distinct row otherwise),
     * minimising the total cost.
     *
     * @return for each row, its column, or -1 for a row left over when there are more rows than columns
     */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        if (rows == 0) {
            return new int[0];
        }
        int columns = cost[0].length;
        for (double[] row : cost) {
            if (row.length != columns) {
                throw new IllegalArgumentException("cost matrix rows differ in length");
            }
            for (double value : row) {
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException("cost matrix holds a value that is not finite: " + value);
                }
            }
        }
        if (columns == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, -1);
            return none;
        }
        if (rows <= columns) {
            return solveWide(cost, rows, columns);
        }
        double[][] transposed = new double[columns][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c][r] = cost[r][c];
            }
        }
        int[] columnToRow = solveWide(transposed, columns, rows);
        int[] rowToColumn = new int[rows];
        Arrays.fill(rowToColumn, -1);
        for (int c = 0; c < columns; c++) {
            rowToColumn[columnToRow[c]] = c;
        }
        return rowToColumn;
    }

    /**
     * Optimal partial assignment where leaving a row or a column unmatched costs {@code maxCost / 2} each, so a pair
     * is only matched when that beats leaving both alone (the cost limit of lapjv, as ByteTrack uses it). Pairs
     * costing more than {@code maxCost}, or not finite, are never matched.
     *
     * @param columns the number of columns, needed as such since a matrix without rows does not show it
     */
    public static Result assign(double[][] cost, int columns, double maxCost) {
        if (!(maxCost >= 0) || Double.isInfinite(maxCost)) {
            throw new IllegalArgumentException("maxCost must be finite and >= 0, was " + maxCost);
        }
        int rows = cost.length;
        for (double[] row : cost) {
            if (row.length != columns) {
                throw new IllegalArgumentException("cost matrix row has " + row.length + " columns, expected " + columns);
            }
        }
        List<int[]> matches = new ArrayList<>();
        if (rows == 0 || columns == 0) {
            return new Result(matches, range(rows), range(columns));
        }
        int size = rows + columns;
        double largest = 0;
        for (double[] row : cost) {
            for (double value : row) {
                if (Double.isFinite(value)) {
                    largest = Math.max(largest, Math.abs(value));
                }
            }
        }
        // Dearer than any solution made only of allowed pairs and unmatched slots, so it is never chosen.
        double forbidden = (size + 1) * (largest + maxCost + 1);
        double half = maxCost / 2;
        double[][] extended = new double[size][size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double value;
                if (r < rows && c < columns) {
                    double pair = cost[r][c];
                    value = Double.isFinite(pair) && pair <= maxCost ? pair : forbidden;
                } else if (r < rows) {
                    value = c - columns == r ? half : forbidden;
                } else if (c < columns) {
                    value = r - rows == c ? half : forbidden;
                } else {
                    value = 0;
                }
                extended[r][c] = value;
            }
        }
        int[] rowToColumn = solveWide(extended, size, size);
        boolean[] columnMatched = new boolean[columns];
        List<Integer> unmatchedRows = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int c = rowToColumn[r];
            if (c < columns && cost[r][c] <= maxCost) {
                matches.add(new int[] {r, c});
                columnMatched[c] = true;
            } else {
                unmatchedRows.add(r);
            }
        }
        List<Integer> unmatchedColumns = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (!columnMatched[c]) {
                unmatchedColumns.add(c);
            }
        }
        return new Result(matches, toArray(unmatchedRows), toArray(unmatchedColumns));
    }

    /** Shortest augmenting paths with potentials; requires rows <= columns; arrays are 1-based inside. */
    private static int[] solveWide(double[][] cost, int rows, int columns) {
        double[] rowPotential = new double[rows + 1];
        double[] columnPotential = new double[columns + 1];
        int[] columnOwner = new int[columns + 1];
        int[] previousColumn = new int[columns + 1];
        double[] slack = new double[columns + 1];
        boolean[] visited = new boolean[columns + 1];
        for (int row = 1; row <= rows; row++) {
            columnOwner[0] = row;
            int column = 0;
            Arrays.fill(slack, Double.POSITIVE_INFINITY);
            Arrays.fill(visited, false);
            do {
                visited[column] = true;
                int owner = columnOwner[column];
                double delta = Double.POSITIVE_INFINITY;
                int next = -1;
                for (int c = 1; c <= columns; c++) {
                    if (!visited[c]) {
                        double reduced = cost[owner - 1][c - 1] - rowPotential[owner] - columnPotential[c];
                        if (reduced < slack[c]) {
                            slack[c] = reduced;
                            previousColumn[c] = column;
                        }
                        if (slack[c] < delta) {
                            delta = slack[c];
                            next = c;
                        }
                    }
                }
                for (int c = 0; c <= columns; c++) {
                    if (visited[c]) {
                        rowPotential[columnOwner[c]] += delta;
                        columnPotential[c] -= delta;
                    } else {
                        slack[c] -= delta;
                    }
                }
                column = next;
            } while (columnOwner[column] != 0);
            do {
                int previous = previousColumn[column];
                columnOwner[column] = columnOwner[previous];
                column = previous;
            } while (column != 0);
        }
        int[] rowToColumn = new int[rows];
        Arrays.fill(rowToColumn, -1);
        for (int c = 1; c <= columns; c++) {
            if (columnOwner[c] != 0) {
                rowToColumn[columnOwner[c] - 1] = c - 1;
            }
        }
        return rowToColumn;
    }

    private static int[] range(int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
