package io.strix.aggregator.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearAssignmentTest {

    @Test
    void solvesKnownSquareProblem() {
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        int[] assignment = LinearAssignment.solve(cost);
        assertThat(assignment).containsExactly(1, 0, 2);
    }

    @Test
    void matchesBruteForceOnRandomSquareAndRectangularMatrices() {
        Random random = new Random(42);
        for (int trial = 0; trial < 2000; trial++) {
            int rows = 1 + random.nextInt(6);
            int columns = 1 + random.nextInt(6);
            double[][] cost = randomMatrix(random, rows, columns, trial % 3 == 0);
            int[] assignment = LinearAssignment.solve(cost);
            assertThat(isValid(assignment, columns, Math.min(rows, columns))).isTrue();
            assertThat(total(cost, assignment)).isCloseTo(bruteForceFull(cost), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void thresholdedAssignmentMatchesBruteForceOnRandomMatrices() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int rows = random.nextInt(6);
            int columns = random.nextInt(6);
            double[][] cost = randomMatrix(random, rows, columns, false);
            double maxCost = random.nextDouble();
            LinearAssignment.Result result = LinearAssignment.assign(cost, columns, maxCost);
            double objective = 0;
            for (int[] pair : result.matches()) {
                assertThat(cost[pair[0]][pair[1]]).isLessThanOrEqualTo(maxCost);
                objective += cost[pair[0]][pair[1]];
            }
            objective += (result.unmatchedRows().length + result.unmatchedColumns().length) * maxCost / 2;
            assertThat(result.matches().size() + result.unmatchedRows().length).isEqualTo(rows);
            assertThat(result.matches().size() + result.unmatchedColumns().length).isEqualTo(columns);
            assertThat(objective).isCloseTo(bruteForcePartial(cost, rows, columns, maxCost),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void leavesEverythingUnmatchedWhenAllPairsCostTooMuch() {
        double[][] cost = {{0.9, 0.95}, {0.99, 1.0}};
        LinearAssignment.Result result = LinearAssignment.assign(cost, 2, 0.5);
        assertThat(result.matches()).isEmpty();
        assertThat(result.unmatchedRows()).containsExactly(0, 1);
        assertThat(result.unmatchedColumns()).containsExactly(0, 1);
    }

    @Test
    void prefersTheGloballyCheapestPairingOverGreedyChoice() {
        // Greedy takes (0,0) at 0.1 and is left with (1,1) at 0.9; optimal is 0.2 + 0.2.
        double[][] cost = {{0.1, 0.2}, {0.2, 0.9}};
        LinearAssignment.Result result = LinearAssignment.assign(cost, 2, 1.0);
        assertThat(result.matches()).extracting(pair -> pair[0] + "->" + pair[1]).containsExactly("0->1", "1->0");
    }

    @Test
    void handlesEmptyMatrices() {
        assertThat(LinearAssignment.solve(new double[0][0])).isEmpty();
        LinearAssignment.Result noColumns = LinearAssignment.assign(new double[3][0], 0, 0.5);
        assertThat(noColumns.unmatchedRows()).containsExactly(0, 1, 2);
        assertThat(noColumns.matches()).isEmpty();
        LinearAssignment.Result noRows = LinearAssignment.assign(new double[0][], 2, 0.5);
        assertThat(noRows.unmatchedColumns()).containsExactly(0, 1);
    }

    @Test
    void neverMatchesPairsWithInfiniteCost() {
        double[][] cost = {{Double.POSITIVE_INFINITY, 0.3}, {0.1, Double.NaN}};
        LinearAssignment.Result result = LinearAssignment.assign(cost, 2, 0.8);
        assertThat(result.matches()).extracting(pair -> pair[0] + "->" + pair[1]).containsExactly("0->1", "1->0");
    }

    @Test
    void rejectsNonFiniteCostsInFullAssignment() {
        assertThatThrownBy(() -> LinearAssignment.solve(new double[][] {{Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    }

    private static double[][] randomMatrix(Random random, int rows, int columns, boolean integers) {
        double[][] cost = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                // Integer costs produce ties, which shake out bookkeeping bugs.
                cost[r][c] = integers ? random.nextInt(4) : random.nextDouble();
            }
        }
        return cost;
    }

    private static boolean isValid(int[] assignment, int columns, int expectedMatches) {
        boolean[] used = new boolean[columns];
        int matched = 0;
        for (int column : assignment) {
            if (column >= 0) {
                if (used[column]) {
                    return false;
                }
                used[column] = true;
                matched++;
            }
        }
        return matched == expectedMatches;
    }

    private static double total(double[][] cost, int[] assignment) {
        double sum = 0;
        for (int r = 0; r < assignment.length; r++) {
            if (assignment[r] >= 0) {
                sum += cost[r][assignment[r]];
            }
        }
        return sum;
    }

    /** Minimum over all ways to match min(rows, columns) pairs. */
    private static double bruteForceFull(double[][] cost) {
        int rows = cost.length;
        int columns = cost[0].length;
        return fullSearch(cost, 0, new boolean[columns], rows <= columns, rows, columns);
    }

    private static double fullSearch(double[][] cost, int row, boolean[] used, boolean everyRow, int rows, int columns) {
        if (row == rows) {
            int usedCount = 0;
            for (boolean u : used) {
                usedCount += u ? 1 : 0;
            }
            return usedCount == Math.min(rows, columns) ? 0 : Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        if (!everyRow) {
            best = fullSearch(cost, row + 1, used, false, rows, columns);
        }
        for (int c = 0; c < columns; c++) {
            if (!used[c]) {
                used[c] = true;
                best = Math.min(best, cost[row][c] + fullSearch(cost, row + 1, used, everyRow, rows, columns));
                used[c] = false;
            }
        }
        return best;
    }

    /** Minimum of matched costs (each within maxCost) plus maxCost/2 per unmatched row and column. */
    private static double bruteForcePartial(double[][] cost, int rows, int columns, double maxCost) {
        return partialSearch(cost, 0, new boolean[columns], rows, columns, maxCost);
    }

    private static double partialSearch(double[][] cost, int row, boolean[] used, int rows, int columns, double maxCost) {
        if (row == rows) {
            int free = 0;
            for (boolean u : used) {
                free += u ? 0 : 1;
            }
            return free * maxCost / 2;
        }
        double best = maxCost / 2 + partialSearch(cost, row + 1, used, rows, columns, maxCost);
        for (int c = 0; c < columns; c++) {
            if (!used[c] && cost[row][c] <= maxCost) {
                used[c] = true;
                best = Math.min(best, cost[row][c] + partialSearch(cost, row + 1, used, rows, columns, maxCost));
                used[c] = false;
            }
        }
        return best;
    }
}
