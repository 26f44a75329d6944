package io.strix.aggregator.rules;

import static io.strix.aggregator.rules.RuleFixtures.CAMERA;
import static io.strix.aggregator.rules.RuleFixtures.at;
import static io.strix.aggregator.rules.RuleFixtures.filter;
import static io.strix.aggregator.rules.RuleFixtures.line;
import static io.strix.aggregator.rules.RuleFixtures.person;
import static io.strix.aggregator.rules.RuleFixtures.rules;
import static io.strix.aggregator.rules.RuleFixtures.zone;
import static io.strix.aggregator.rules.RuleFixtures.zones;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.aggregator.rules.RuleFixtures.Camera;
import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.RuleSet;
import io.strix.schema.RuleType;
import io.strix.schema.Zone;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RuleEngineTest {
    private static final double IN = 0.5;
    private static final double OUT = 0.1;

    @Nested
    class ZoneEnter {
        private final Camera camera = new Camera(zones(zone("door", "Door", true, false, filter(10, 0))));

        @Test
        void oneIncidentWhileTheZoneIsOccupiedNotOneAlertPerObject() {
            assertThat(camera.at(0, person(1, OUT, IN))).isEmpty();
            List<Alert> started = camera.at(1000, person(1, IN, IN));
            assertThat(started).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.STARTED);
                assertThat(alert.getRuleType()).isEqualTo(RuleType.ZONE_ENTER);
                assertThat(alert.getRuleId()).isEqualTo("door");
                assertThat(alert.getCameraId()).isEqualTo(CAMERA);
                assertThat(alert.getTrackIds()).containsExactly(1L);
                assertThat(alert.getClassNames()).containsExactly("person");
                assertThat(alert.getCount()).isEqualTo(1);
                assertThat(alert.getMessage()).isEqualTo("person entered zone 'Door'");
                assertThat(alert.getIncidentId()).isEqualTo("cam-1/door/zone-enter/2");
                assertThat(alert.getFirstFrame().getFrameSeq()).isEqualTo(2);
                assertThat(alert.getLastFrame().getFrameSeq()).isEqualTo(2);
                assertThat(alert.getLastFrame().getOffset()).isEqualTo(1002);
                assertThat(alert.getEmittedAt()).isEqualTo(RuleFixtures.EPOCH.plusMillis(1000));
            });
            // A second person joins: no alert yet, updates come at most every 5 s.
            assertThat(camera.during(1500, 6000, 500, person(1, IN, IN), person(2, 0.6, 0.6))).isEmpty();
            List<Alert> updated = camera.at(6000, person(1, IN, IN), person(2, 0.6, 0.6));
            assertThat(updated).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.UPDATED);
                assertThat(alert.getTrackIds()).containsExactly(1L, 2L);
                assertThat(alert.getCount()).isEqualTo(2);
                assertThat(alert.getIncidentId()).isEqualTo(started.get(0).getIncidentId());
                assertThat(alert.getMessage()).isEqualTo("2 objects in zone 'Door' now, 2 since it started 5.0 s ago");
            });
            // Nothing changes: no more updates.
            assertThat(camera.during(6500, 20000, 500, person(1, IN, IN), person(2, 0.6, 0.6))).isEmpty();
            List<Alert> ended = camera.at(20000, person(1, OUT, IN), person(2, 0.9, 0.6));
            assertThat(ended).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.ENDED);
                assertThat(alert.getTrackIds()).containsExactly(1L, 2L);
                assertThat(alert.getCount()).isZero();
                assertThat(alert.getIncidentId()).isEqualTo(started.get(0).getIncidentId());
                assertThat(alert.getFirstFrame()).isEqualTo(started.get(0).getFirstFrame());
                assertThat(alert.getLastFrame().getFrameSeq()).isEqualTo(camera.seq);
                assertThat(alert.getMessage()).isEqualTo("zone 'Door' is clear after 19.0 s; 2 objects were in it");
            });
        }

        @Test
        void cooldownPreventsANewIncidentSoonAfterTheLastEnded() {
            camera.at(0, person(1, IN, IN));
            assertThat(camera.at(1000, person(1, OUT, IN))).extracting(Alert::getPhase).containsExactly(AlertPhase.ENDED);
            // Back in after 1 s: cooldown (10 s) holds the new incident back until 11 s.
            assertThat(camera.during(2000, 11000, 500, person(1, IN, IN))).isEmpty();
            List<Alert> again = camera.at(11000, person(1, IN, IN));
            assertThat(again).extracting(Alert::getPhase).containsExactly(AlertPhase.STARTED);
            assertThat(again.get(0).getIncidentId()).isEqualTo("cam-1/door/zone-enter/" + camera.seq);
        }

        @Test
        void objectLeavingDuringCooldownStartsNothing() {
            camera.at(0, person(1, IN, IN));
            camera.at(1000, person(1, OUT, IN));
            camera.at(2000, person(1, IN, IN));
            assertThat(camera.during(3000, 30000, 1000, person(1, OUT, IN))).isEmpty();
        }

        @Test
        void briefOcclusionNeitherEndsNorRestartsTheIncident() {
            camera.at(0, person(1, IN, IN));
            // Gone from the snapshots for 1.5 s (grace is 2 s), then back.
            assertThat(camera.during(500, 2000, 500)).isEmpty();
            assertThat(camera.at(2000, person(1, IN, IN))).isEmpty();
            // Gone for good: ends once the grace time has passed.
            assertThat(camera.during(2500, 4500, 500)).isEmpty();
            assertThat(camera.at(4500)).extracting(Alert::getPhase).containsExactly(AlertPhase.ENDED);
        }

        @Test
        void appliesClassFilterAndMinimumConfidence() {
            camera.rules = zones(zone("door", "Door", true, false, filter(10, 0.6f, "person")));
            assertThat(camera.at(0, at(1, "car", 0.95, IN, IN))).isEmpty();
            assertThat(camera.at(500, at(1, "car", 0.95, IN, IN), at(2, "person", 0.4, IN, IN))).isEmpty();
            List<Alert> started = camera.at(1000, at(1, "car", 0.95, IN, IN), at(2, "person", 0.7, IN, IN));
            assertThat(started).singleElement().satisfies(alert -> assertThat(alert.getTrackIds()).containsExactly(2L));
            // A dip in score (partly hidden) does not make the person stop counting.
            assertThat(camera.during(1500, 5000, 500, at(2, "person", 0.3, IN, IN))).isEmpty();
        }

        @Test
        void objectBornInsideTheZoneCounts() {
            assertThat(camera.at(0, person(7, IN, IN))).extracting(Alert::getPhase).containsExactly(AlertPhase.STARTED);
        }

        @Test
        void usesTheBottomCentreOfTheBoxAsTheObjectsPosition() {
            // Box centre inside the zone, feet below it: outside.
            assertThat(camera.at(0, person(1, IN, 0.8))).isEmpty();
            // Box above the zone, feet just inside: inside.
            assertThat(camera.at(500, person(1, IN, 0.3))).extracting(Alert::getPhase).containsExactly(AlertPhase.STARTED);
        }

        @Test
        void pendingChangeIsReportedOnceTheIntervalHasPassed() {
            camera.at(0, person(1, IN, IN));
            camera.at(1000, person(1, IN, IN), person(2, IN, IN));
            assertThat(camera.during(1500, 5000, 500, person(1, IN, IN), person(2, IN, IN))).isEmpty();
            assertThat(camera.at(5000, person(1, IN, IN), person(2, IN, IN)))
                    .extracting(Alert::getPhase).containsExactly(AlertPhase.UPDATED);
        }

        @Test
        void updatesAreThrottledWhileObjectsKeepJoining() {
            Camera busy = new Camera(zones(zone("door", "Door", true, false, filter(10, 0))));
            List<io.strix.schema.Track> inside = new java.util.ArrayList<>();
            for (int second = 0; second < 30; second++) {
                inside.add(person(second + 1, IN, IN));
                for (int tick = 0; tick < 4; tick++) {
                    busy.at(second * 1000L + tick * 250L, inside.toArray(io.strix.schema.Track[]::new));
                }
            }
            List<Alert> all = busy.all;
            assertThat(all).first().extracting(Alert::getPhase).isEqualTo(AlertPhase.STARTED);
            assertThat(all).allSatisfy(alert -> assertThat(alert.getPhase()).isNotEqualTo(AlertPhase.ENDED));
            assertThat(all.stream().filter(alert -> alert.getPhase() == AlertPhase.UPDATED)).hasSize(5);
            for (int i = 1; i < all.size(); i++) {
                long gap = all.get(i).getEmittedAt().toEpochMilli() - all.get(i - 1).getEmittedAt().toEpochMilli();
                assertThat(gap).isGreaterThanOrEqualTo(5000);
            }
            assertThat(all.get(all.size() - 1).getTrackIds()).hasSize(26);
        }
    }

    @Nested
    class ZoneExit {
        private final Camera camera = new Camera(zones(zone("shop", "Shop", false, true, filter(0, 0))));

        @Test
        void exitsCloseTogetherMergeIntoOneIncident() {
            camera.at(0, person(1, IN, IN), person(2, IN, IN));
            List<Alert> first = camera.at(2000, person(1, OUT, IN), person(2, IN, IN));
            assertThat(first).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.STARTED);
                assertThat(alert.getRuleType()).isEqualTo(RuleType.ZONE_EXIT);
                assertThat(alert.getTrackIds()).containsExactly(1L);
                assertThat(alert.getMessage()).isEqualTo("person left zone 'Shop'");
            });
            assertThat(camera.at(4000, person(1, OUT, IN), person(2, OUT, IN))).isEmpty();
            List<Alert> updated = camera.at(7000, person(1, OUT, IN), person(2, OUT, IN));
            assertThat(updated).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.UPDATED);
                assertThat(alert.getCount()).isEqualTo(2);
                assertThat(alert.getTrackIds()).containsExactly(1L, 2L);
            });
            // 5 s after the last exit (at 4 s) the incident ends.
            assertThat(camera.at(8500, person(1, OUT, IN), person(2, OUT, IN))).isEmpty();
            assertThat(camera.at(9000, person(1, OUT, IN), person(2, OUT, IN))).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.ENDED);
                assertThat(alert.getCount()).isEqualTo(2);
                assertThat(alert.getMessage()).isEqualTo("2 exits from zone 'Shop' by 2 objects over 2.0 s");
            });
        }

        @Test
        void vanishingInsideTheZoneIsNotAnExit() {
            camera.at(0, person(1, IN, IN));
            assertThat(camera.during(500, 10000, 500)).isEmpty();
        }
    }

    @Nested
    class LineCrossing {
        /** Drawn left to right across the screen: its left side is above it, its right side below. */
        private final Camera camera = new Camera(rules(List.of(),
                List.of(line("gate", 0.2, 0.5, 0.8, 0.5, CrossingDirection.LEFT_TO_RIGHT, filter(0, 0))),
                List.of(), List.of()));

        @Test
        void crossingInTheChosenDirectionStartsAnIncident() {
            camera.at(0, person(1, IN, 0.3));
            List<Alert> alerts = camera.at(500, person(1, IN, 0.7));
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.STARTED);
                assertThat(alert.getRuleType()).isEqualTo(RuleType.LINE_CROSSING);
                assertThat(alert.getCount()).isEqualTo(1);
                assertThat(alert.getMessage()).isEqualTo("person crossed line 'gate' left to right");
            });
        }

        @Test
        void crossingTheOtherWayOrBesideTheSegmentIsIgnored() {
            camera.at(0, person(1, IN, 0.7), person(2, 0.9, 0.3));
            assertThat(camera.at(500, person(1, IN, 0.3), person(2, 0.9, 0.7))).isEmpty();
        }

        @Test
        void anyDirectionCountsBothWays() {
            camera.rules = rules(List.of(), List.of(line("gate", 0.2, 0.5, 0.8, 0.5, CrossingDirection.ANY, filter(0, 0))),
                    List.of(), List.of());
            camera.at(0, person(1, IN, 0.7), person(2, 0.4, 0.3));
            List<Alert> alerts = camera.at(500, person(1, IN, 0.3), person(2, 0.4, 0.7));
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.getTrackIds()).containsExactly(1L, 2L);
                assertThat(alert.getCount()).isEqualTo(2);
            });
        }

        @Test
        void rightToLeftOnAVerticalLineMeansMovingRightwardsOnScreen() {
            // Drawn top to bottom: facing down the screen, its left is the image's right.
            camera.rules = rules(List.of(), List.of(line("gate", 0.5, 0.1, 0.5, 0.9, CrossingDirection.RIGHT_TO_LEFT,
                    filter(0, 0))), List.of(), List.of());
            camera.at(0, person(1, 0.3, IN), person(2, 0.7, IN));
            assertThat(camera.at(500, person(1, 0.7, IN), person(2, 0.3, IN))).singleElement()
                    .satisfies(alert -> assertThat(alert.getTrackIds()).containsExactly(1L));
        }

        @Test
        void crossingWhileHiddenIsStillSeen() {
            camera.at(0, person(1, IN, 0.3));
            camera.at(500);
            camera.at(1000);
            assertThat(camera.at(1500, person(1, IN, 0.7))).hasSize(1);
        }

        @Test
        void stoppingOnTheLineThenGoingOnIsOneCrossing() {
            camera.at(0, person(1, IN, 0.3));
            assertThat(camera.at(500, person(1, IN, 0.5))).isEmpty();
            assertThat(camera.at(1000, person(1, IN, 0.7))).hasSize(1);
            assertThat(camera.at(1500, person(1, IN, 0.8))).isEmpty();
        }

        @Test
        void crossingsWithinTheWindowMergeAndTheIncidentEndsAfterAQuietWindow() {
            camera.at(0, person(1, IN, 0.3), person(2, 0.3, 0.3));
            camera.at(500, person(1, IN, 0.7), person(2, 0.3, 0.3));
            camera.at(3000, person(1, IN, 0.7), person(2, 0.3, 0.7));
            List<Alert> later = camera.during(3500, 12000, 500, person(1, IN, 0.7), person(2, 0.3, 0.7));
            assertThat(later).extracting(Alert::getPhase).containsExactly(AlertPhase.UPDATED, AlertPhase.ENDED);
            Alert ended = later.get(1);
            assertThat(ended.getEmittedAt()).isEqualTo(RuleFixtures.EPOCH.plusMillis(8000));
            assertThat(ended.getCount()).isEqualTo(2);
            assertThat(ended.getTrackIds()).containsExactly(1L, 2L);
            assertThat(camera.all).extracting(Alert::getIncidentId).containsOnly("cam-1/gate/line-crossing/2");
        }

        @Test
        void cooldownDropsCrossingsRightAfterAnIncident() {
            camera.rules = rules(List.of(), List.of(line("gate", 0.2, 0.5, 0.8, 0.5, CrossingDirection.ANY, filter(30, 0))),
                    List.of(), List.of());
            camera.at(0, person(1, IN, 0.3));
            camera.at(500, person(1, IN, 0.7));
            assertThat(camera.at(6000, person(1, IN, 0.7))).extracting(Alert::getPhase).containsExactly(AlertPhase.ENDED);
            assertThat(camera.at(7000, person(1, IN, 0.3))).isEmpty();
            assertThat(camera.at(37000, person(1, IN, 0.7))).extracting(Alert::getPhase).containsExactly(AlertPhase.STARTED);
        }
    }

    @Nested
    class Loitering {
        private final Camera camera = new Camera(rules(List.of(zone("bench", "Bench", false, false, filter(0, 0))),
                List.of(), List.of(new DwellRule("loiter", "bench", 10f, filter(0, 0, "person"))), List.of()));

        @Test
        void startsWhenAnObjectHasStayedLongEnoughAndEndsWhenItLeaves() {
            assertThat(camera.during(1000, 11000, 500, person(1, IN, IN))).isEmpty();
            List<Alert> started = camera.at(11000, person(1, IN, IN));
            assertThat(started).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.STARTED);
                assertThat(alert.getRuleType()).isEqualTo(RuleType.LOITERING);
                assertThat(alert.getRuleId()).isEqualTo("loiter");
                assertThat(alert.getMessage()).isEqualTo("person stayed in zone 'Bench' for 10.0 s or more");
            });
            assertThat(camera.during(11500, 15000, 500, person(1, IN, IN))).isEmpty();
            assertThat(camera.at(15000, person(1, OUT, IN))).singleElement()
                    .satisfies(alert -> assertThat(alert.getPhase()).isEqualTo(AlertPhase.ENDED));
        }

        @Test
        void leavingResetsTheDwellTime() {
            camera.during(0, 8000, 500, person(1, IN, IN));
            camera.at(8000, person(1, OUT, IN));
            assertThat(camera.during(8500, 18000, 500, person(1, IN, IN))).isEmpty();
            assertThat(camera.at(18500, person(1, IN, IN))).hasSize(1);
        }

        @Test
        void ignoresObjectsOfOtherClasses() {
            assertThat(camera.during(0, 60000, 1000, at(1, "car", 0.9, IN, IN))).isEmpty();
        }
    }

    @Nested
    class Count {
        private final Camera camera = new Camera(rules(List.of(zone("yard", "Yard", false, false, filter(0, 0))),
                List.of(), List.of(), List.of(new CountRule("crowd", "yard", 3, 2f, filter(0, 0)))));

        @Test
        void startsAfterEnoughObjectsStayedForTheTimeAndEndsWhenTooFewAreLeft() {
            assertThat(camera.during(0, 3000, 500, person(1, IN, IN), person(2, IN, IN))).isEmpty();
            assertThat(camera.during(3000, 5000, 500, person(1, IN, IN), person(2, IN, IN), person(3, IN, IN))).isEmpty();
            List<Alert> started = camera.at(5000, person(1, IN, IN), person(2, IN, IN), person(3, IN, IN));
            assertThat(started).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.STARTED);
                assertThat(alert.getRuleType()).isEqualTo(RuleType.COUNT);
                assertThat(alert.getCount()).isEqualTo(3);
                assertThat(alert.getMessage())
                        .isEqualTo("3 objects (person) in zone 'Yard' for 2.0 s; the rule asks for at least 3");
            });
            List<Alert> ended = camera.at(6000, person(1, IN, IN), person(2, IN, IN), person(3, OUT, IN));
            assertThat(ended).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.ENDED);
                assertThat(alert.getCount()).isEqualTo(2);
                assertThat(alert.getTrackIds()).containsExactly(1L, 2L, 3L);
            });
        }

        @Test
        void aDipBelowTheCountRestartsTheClock() {
            camera.during(0, 1500, 500, person(1, IN, IN), person(2, IN, IN), person(3, IN, IN));
            camera.at(1500, person(1, IN, IN), person(2, IN, IN), person(3, OUT, IN));
            assertThat(camera.during(2000, 4000, 500, person(1, IN, IN), person(2, IN, IN), person(3, IN, IN))).isEmpty();
            assertThat(camera.at(4000, person(1, IN, IN), person(2, IN, IN), person(3, IN, IN))).hasSize(1);
        }
    }

    @Nested
    class RuleChanges {
        private final Camera camera = new Camera(zones(zone("door", "Door", true, false, filter(10, 0))));

        @Test
        void removingARuleEndsItsOpenIncident() {
            camera.at(0, person(1, IN, IN));
            camera.rules = null;
            assertThat(camera.at(500, person(1, IN, IN))).singleElement().satisfies(alert -> {
                assertThat(alert.getPhase()).isEqualTo(AlertPhase.ENDED);
                assertThat(alert.getMessage()).endsWith("(rule removed)");
            });
            assertThat(camera.during(1000, 5000, 500, person(1, IN, IN))).isEmpty();
        }

        @Test
        void changingAZoneEndsTheIncidentAndReevaluates() {
            camera.at(0, person(1, IN, IN));
            Zone moved = new Zone("door", "Door", GeometryTest.polygon(0.4, 0.4, 0.9, 0.4, 0.9, 0.9, 0.4, 0.9), true, false,
                    filter(10, 0));
            camera.rules = zones(moved);
            List<Alert> alerts = camera.at(500, person(1, IN, IN));
            assertThat(alerts).extracting(Alert::getPhase).containsExactly(AlertPhase.ENDED, AlertPhase.STARTED);
            assertThat(alerts.get(0).getMessage()).endsWith("(rule changed)");
            assertThat(alerts.get(1).getIncidentId()).isNotEqualTo(alerts.get(0).getIncidentId());
        }

        @Test
        void renamingAZoneKeepsTheIncident() {
            camera.at(0, person(1, IN, IN));
            camera.rules = zones(zone("door", "Front door", true, false, filter(10, 0)));
            assertThat(camera.during(500, 3000, 500, person(1, IN, IN))).isEmpty();
        }
    }

    @Test
    void ignoresDuplicateAndOlderSnapshots() {
        Camera camera = new Camera(zones(zone("door", "Door", true, false, filter(10, 0))));
        camera.at(0, person(1, IN, IN));
        byte[] state = camera.engine.toBytes();
        RuleSet rules = camera.rules;
        assertThat(camera.engine.process(rules, RuleFixtures.snapshot(1, 0, List.of(person(1, IN, IN))))).isEmpty();
        assertThat(camera.engine.process(rules, RuleFixtures.snapshot(0, 0, List.of()))).isEmpty();
        assertThat(camera.engine.toBytes()).isEqualTo(state);
        assertThat(camera.engine.lastFrameSeq()).contains(1L);
    }

    @Test
    void listsOpenIncidents() {
        Camera camera = new Camera(rules(List.of(zone("door", "Door", true, false, filter(10, 0))),
                List.of(line("gate", 0.2, 0.9, 0.8, 0.9, CrossingDirection.ANY, filter(0, 0))), List.of(), List.of()));
        camera.at(0, person(1, IN, IN));
        byte[] before = camera.engine.toBytes();
        assertThat(camera.engine.openIncidents()).singleElement().satisfies(alert -> {
            assertThat(alert.getRuleId()).isEqualTo("door");
            assertThat(alert.getPhase()).isEqualTo(AlertPhase.STARTED);
            assertThat(alert.getTrackIds()).containsExactly(1L);
        });
        assertThat(camera.engine.toBytes()).as("listing changes nothing").isEqualTo(before);
    }

    @Test
    void rejectsSnapshotsAndRulesOfAnotherCamera() {
        RuleEngine engine = new RuleEngine(CAMERA, RuleEngineConfig.defaults());
        RuleSet otherRules = new RuleSet("cam-9", 1L, List.of(), List.of(), List.of(), List.of(), RuleFixtures.EPOCH);
        assertThatThrownBy(() -> engine.process(otherRules, RuleFixtures.snapshot(1, 0, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cam-9");
        io.strix.schema.TrackSnapshot other = RuleFixtures.snapshot(1, 0, List.of());
        other.getFrame().setCameraId("cam-9");
        assertThatThrownBy(() -> engine.process(null, other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cam-9");
    }

}
