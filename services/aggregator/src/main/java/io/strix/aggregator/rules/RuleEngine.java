package io.strix.aggregator.rules;

import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.CrossingDirection;
import io.strix.schema.FrameRef;
import io.strix.schema.RuleSet;
import io.strix.schema.RuleType;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One camera's alerting: applies the camera's {@link RuleSet} to each {@link TrackSnapshot} in order and reports
 * incidents (STARTED, UPDATED, ENDED) rather than per-frame or per-object events. docs/alerts.md defines the
 * incident of each rule type.
 *
 * <p>An object's position is its anchor point, the bottom centre of its box: where a person's feet or a car's
 * wheels touch the ground, which is what a zone drawn on the floor or a line drawn across a road means.
 *
 * <p>Everything is a function of the snapshots and rules given, timed by the frames' capture times, never by the
 * wall clock: a replay produces the same alerts, and a snapshot whose frame sequence number is not above the last
 * one is ignored. The state goes to bytes with {@link #toBytes()} and back with {@link #fromBytes}; a restored
 * engine continues exactly as the original would have. Not thread-safe.
 */
public final class RuleEngine {
    private final String cameraId;
    private final RuleEngineConfig config;
    boolean hasFrame;
    long lastFrameSeq;
    long lastMillis;
    FrameRef lastFrame;
    final TreeMap<Long, TrackMemory> tracks = new TreeMap<>();
    final TreeMap<String, Long> zoneFingerprints = new TreeMap<>();
    final TreeMap<String, Long> lineFingerprints = new TreeMap<>();
    /** Keyed by rule type and id, e.g. {@code ZONE_ENTER/door}. */
    final TreeMap<String, IncidentState> incidents = new TreeMap<>();
    /** The rule set seen last and its compiled form, so that an unchanged rule set is not compiled per frame. */
    private RuleSet compiledFrom;
    private CompiledRule.Compiled compiled = CompiledRule.compile(null);

    public RuleEngine(String cameraId, RuleEngineConfig config) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Restores an engine saved by {@link #toBytes()}; settings come from {@code config}, not from the bytes. */
    public static RuleEngine fromBytes(byte[] bytes, RuleEngineConfig config) {
        return RuleEngineCodec.decode(bytes, config);
    }

    public byte[] toBytes() {
        return RuleEngineCodec.encode(this);
    }

    public String cameraId() {
        return cameraId;
    }

    public RuleEngineConfig config() {
        return config;
    }

    /** The sequence number of the last snapshot applied, empty before the first. */
    public Optional<Long> lastFrameSeq() {
        return hasFrame ? Optional.of(lastFrameSeq) : Optional.empty();
    }

    /**
     * Applies one snapshot under the camera's current rules.
     *
     * @param rules the camera's rules, assumed valid ({@link RuleSetValidator}); null means none. A rule that is
     *     gone or changed since the previous snapshot ends its open incident.
     * @return the alerts this snapshot causes, in rule order; empty for a duplicate or older snapshot
     * @throws IllegalArgumentException when the snapshot or the rules belong to another camera
     */
    public List<Alert> process(RuleSet rules, TrackSnapshot snapshot) {
        FrameRef frame = snapshot.getFrame();
        if (!cameraId.equals(frame.getCameraId())) {
            throw new IllegalArgumentException("rule engine of camera '" + cameraId + "' got a snapshot of camera '"
                    + frame.getCameraId() + "'");
        }
        if (rules != null && !cameraId.equals(rules.getCameraId())) {
            throw new IllegalArgumentException("rule engine of camera '" + cameraId + "' got the rules of camera '"
                    + rules.getCameraId() + "'");
        }
        if (hasFrame && frame.getFrameSeq() <= lastFrameSeq) {
            return List.of();
        }
        long now = hasFrame ? Math.max(lastMillis, frame.getCaptureTime().toEpochMilli())
                : frame.getCaptureTime().toEpochMilli();
        hasFrame = true;
        lastFrameSeq = frame.getFrameSeq();
        lastMillis = now;
        lastFrame = FrameRef.newBuilder(frame).build();

        List<Alert> alerts = new ArrayList<>();
        if (!Objects.equals(rules, compiledFrom)) {
            compiled = CompiledRule.compile(rules);
            // A copy: the caller may change its record in place.
            compiledFrom = rules == null ? null : RuleSet.newBuilder(rules).build();
        }
        endRemovedRules(compiled, alerts, now);
        forgetChangedShapes(compiled);
        Set<Long> seen = rememberTracks(snapshot, now);
        Map<String, List<TrackMemory>> exits = updateZones(compiled, seen, now);
        Map<String, List<TrackMemory>> crossings = detectCrossings(compiled, seen);

        for (CompiledRule rule : compiled.rules()) {
            IncidentState state = incidents.computeIfAbsent(rule.key(),
                    key -> new IncidentState(rule.ruleId(), rule.type(), rule.fingerprint()));
            switch (rule.type()) {
                case ZONE_ENTER -> {
                    List<TrackMemory> inside = inZone(rule, now, 0);
                    condition(rule, state, inside, !inside.isEmpty(), alerts, now);
                }
                case LOITERING -> {
                    List<TrackMemory> loitering = inZone(rule, now, rule.minDwellMillis());
                    condition(rule, state, loitering, !loitering.isEmpty(), alerts, now);
                }
                case COUNT -> {
                    List<TrackMemory> inside = inZone(rule, now, 0);
                    condition(rule, state, inside, inside.size() >= rule.minCount(), alerts, now);
                }
                case ZONE_EXIT -> events(rule, state, matching(rule, exits.get(rule.zone().id())), alerts, now);
                case LINE_CROSSING -> events(rule, state, matching(rule, crossings.get(rule.line().id())), alerts, now);
                default -> throw new IllegalStateException("no evaluation for rule type " + rule.type());
            }
        }
        return alerts;
    }

    /** The incidents open after the last snapshot, each as an alert of its latest phase with current figures. */
    public List<Alert> openIncidents() {
        List<Alert> open = new ArrayList<>();
        for (IncidentState state : incidents.values()) {
            if (state.active) {
                open.add(alert(state, state.lastPhase, lastFrame, lastMillis, countOf(state),
                        AlertMessages.describe(state, state.ruleId, lastMillis)));
            }
        }
        return open;
    }

    private void endRemovedRules(CompiledRule.Compiled compiled, List<Alert> alerts, long now) {
        Map<String, CompiledRule> byKey = new HashMap<>();
        compiled.rules().forEach(rule -> byKey.put(rule.key(), rule));
        for (Map.Entry<String, IncidentState> entry : new ArrayList<>(incidents.entrySet())) {
            CompiledRule rule = byKey.get(entry.getKey());
            IncidentState state = entry.getValue();
            if (rule != null && rule.fingerprint() == state.fingerprint) {
                continue;
            }
            if (state.active) {
                String reason = rule == null ? "rule removed" : "rule changed";
                state.current.clear();
                alerts.add(alert(state, AlertPhase.ENDED, lastFrame, now, countOf(state),
                        AlertMessages.ended(state, rule == null ? state.ruleId : rule.displayName(), now)
                                + " (" + reason + ")"));
            }
            incidents.remove(entry.getKey());
        }
    }

    /** Memberships and sides computed against an outline that changed or went away mean nothing any more. */
    private void forgetChangedShapes(CompiledRule.Compiled compiled) {
        for (String zoneId : new ArrayList<>(zoneFingerprints.keySet())) {
            CompiledRule.ZoneShape zone = compiled.zones().get(zoneId);
            if (zone == null || zone.fingerprint() != zoneFingerprints.get(zoneId)) {
                zoneFingerprints.remove(zoneId);
                tracks.values().forEach(track -> track.zonesEntered.remove(zoneId));
            }
        }
        compiled.zones().values().forEach(zone -> zoneFingerprints.put(zone.id(), zone.fingerprint()));
        for (String lineId : new ArrayList<>(lineFingerprints.keySet())) {
            CompiledRule.LineShape line = compiled.lines().get(lineId);
            if (line == null || line.fingerprint() != lineFingerprints.get(lineId)) {
                lineFingerprints.remove(lineId);
                tracks.values().forEach(track -> track.lineSides.remove(lineId));
            }
        }
        compiled.lines().values().forEach(line -> lineFingerprints.put(line.id(), line.fingerprint()));
    }

    private Set<Long> rememberTracks(TrackSnapshot snapshot, long now) {
        Set<Long> seen = new HashSet<>();
        for (Track track : snapshot.getTracks()) {
            TrackMemory memory = tracks.computeIfAbsent(track.getTrackId(), TrackMemory::new);
            memory.className = track.getClassName();
            memory.peakConfidence = Math.max(memory.peakConfidence, track.getConfidence());
            memory.x = track.getBox().getX() + track.getBox().getW() / 2.0;
            memory.y = track.getBox().getY() + (double) track.getBox().getH();
            memory.lastSeenMillis = now;
            seen.add(track.getTrackId());
        }
        long grace = config.presenceGraceMillis();
        tracks.values().removeIf(memory -> now - memory.lastSeenMillis > grace);
        return seen;
    }

    /** Enters and exits of the tracks seen in this snapshot; tracks in their grace time stay where they were. */
    private Map<String, List<TrackMemory>> updateZones(CompiledRule.Compiled compiled, Set<Long> seen, long now) {
        Map<String, List<TrackMemory>> exits = new HashMap<>();
        for (CompiledRule.ZoneShape zone : compiled.zones().values()) {
            List<TrackMemory> exited = new ArrayList<>();
            for (TrackMemory track : tracks.values()) {
                if (!seen.contains(track.trackId)) {
                    continue;
                }
                boolean inside = Geometry.contains(zone.polygon(), track.x, track.y);
                boolean wasInside = track.zonesEntered.containsKey(zone.id());
                if (inside && !wasInside) {
                    track.zonesEntered.put(zone.id(), now);
                } else if (!inside && wasInside) {
                    track.zonesEntered.remove(zone.id());
                    exited.add(track);
                }
            }
            exits.put(zone.id(), exited);
        }
        return exits;
    }

    /**
     * Tracks whose anchor went from one side of a line to the other across the segment itself since they were last
     * on a side; the direction filter is applied here since it belongs to the line.
     */
    private Map<String, List<TrackMemory>> detectCrossings(CompiledRule.Compiled compiled, Set<Long> seen) {
        Map<String, List<TrackMemory>> crossings = new HashMap<>();
        for (CompiledRule.LineShape line : compiled.lines().values()) {
            List<TrackMemory> crossed = new ArrayList<>();
            for (TrackMemory track : tracks.values()) {
                if (!seen.contains(track.trackId)) {
                    continue;
                }
                Geometry.Side side = Geometry.sideOf(line.a(), line.b(), track.x, track.y);
                if (side == Geometry.Side.ON) {
                    continue;
                }
                TrackMemory.SidePoint before = track.lineSides.get(line.id());
                if (before != null && before.side() != side
                        && Geometry.segmentsIntersect(before.x(), before.y(), track.x, track.y,
                                line.a().getX(), line.a().getY(), line.b().getX(), line.b().getY())
                        && allowed(line.direction(), before.side())) {
                    crossed.add(track);
                }
                track.lineSides.put(line.id(), new TrackMemory.SidePoint(side, track.x, track.y));
            }
            crossings.put(line.id(), crossed);
        }
        return crossings;
    }

    private static boolean allowed(CrossingDirection direction, Geometry.Side from) {
        return switch (direction) {
            case ANY -> true;
            case LEFT_TO_RIGHT -> from == Geometry.Side.LEFT;
            case RIGHT_TO_LEFT -> from == Geometry.Side.RIGHT;
        };
    }

    /** Matching tracks inside the rule's zone that entered it at least {@code minDwellMillis} ago. */
    private List<TrackMemory> inZone(CompiledRule rule, long now, long minDwellMillis) {
        List<TrackMemory> inside = new ArrayList<>();
        for (TrackMemory track : tracks.values()) {
            Long entered = track.zonesEntered.get(rule.zone().id());
            if (entered != null && now - entered >= minDwellMillis && rule.matches(track)) {
                inside.add(track);
            }
        }
        return inside;
    }

    private static List<TrackMemory> matching(CompiledRule rule, List<TrackMemory> tracks) {
        return tracks == null ? List.of() : tracks.stream().filter(rule::matches).toList();
    }

    /** An incident that lasts while a condition holds (zone occupied, someone loitering, enough objects). */
    private void condition(CompiledRule rule, IncidentState state, List<TrackMemory> involved, boolean holds,
                           List<Alert> alerts, long now) {
        if (!holds) {
            state.conditionSinceMillis = IncidentState.NEVER;
            if (state.active) {
                // What is left: nobody for zones and loitering, fewer than the minimum for counts.
                state.current.clear();
                involved.forEach(track -> state.current.add(track.trackId));
                alerts.add(alert(state, AlertPhase.ENDED, lastFrame, now, countOf(state),
                        AlertMessages.ended(state, rule.displayName(), now)));
                state.close(now, rule.cooldownMillis());
            }
            return;
        }
        if (state.conditionSinceMillis == IncidentState.NEVER) {
            state.conditionSinceMillis = now;
        }
        if (!state.active) {
            if (now - state.conditionSinceMillis < rule.holdMillis() || now < state.cooldownUntilMillis) {
                return;
            }
            state.open(incidentId(rule), lastFrame, now);
            join(state, involved);
            state.dirty = false;
            alerts.add(emitted(state, alert(state, AlertPhase.STARTED, lastFrame, now, countOf(state),
                    AlertMessages.started(state, rule, now)), now));
            return;
        }
        join(state, involved);
        maybeUpdate(rule, state, alerts, now);
    }

    /** An incident made of events (crossings, exits) that merge while they come less than the window apart. */
    private void events(CompiledRule rule, IncidentState state, List<TrackMemory> involved, List<Alert> alerts,
                        long now) {
        if (state.active && now - state.lastEventMillis >= config.eventWindowMillis()) {
            alerts.add(alert(state, AlertPhase.ENDED, lastFrame, now, countOf(state),
                    AlertMessages.ended(state, rule.displayName(), now)));
            state.close(now, rule.cooldownMillis());
        }
        if (involved.isEmpty()) {
            if (state.active) {
                maybeUpdate(rule, state, alerts, now);
            }
            return;
        }
        if (!state.active) {
            if (now < state.cooldownUntilMillis) {
                return;
            }
            state.open(incidentId(rule), lastFrame, now);
            addEvents(state, involved, now);
            state.dirty = false;
            alerts.add(emitted(state, alert(state, AlertPhase.STARTED, lastFrame, now, countOf(state),
                    AlertMessages.started(state, rule, now)), now));
            return;
        }
        addEvents(state, involved, now);
        maybeUpdate(rule, state, alerts, now);
    }

    private static void join(IncidentState state, List<TrackMemory> involved) {
        TreeSet<Long> ids = new TreeSet<>();
        involved.forEach(track -> ids.add(track.trackId));
        if (!ids.equals(state.current)) {
            state.dirty = true;
            state.current.clear();
            state.current.addAll(ids);
        }
        for (TrackMemory track : involved) {
            state.trackIds.add(track.trackId);
            state.classNames.add(track.className);
        }
        state.peakCount = Math.max(state.peakCount, ids.size());
    }

    private static void addEvents(IncidentState state, List<TrackMemory> involved, long now) {
        for (TrackMemory track : involved) {
            state.trackIds.add(track.trackId);
            state.classNames.add(track.className);
        }
        state.eventCount += involved.size();
        state.lastEventMillis = now;
        state.dirty = true;
    }

    private void maybeUpdate(CompiledRule rule, IncidentState state, List<Alert> alerts, long now) {
        if (state.dirty && now - state.lastEmittedMillis >= config.updateIntervalMillis()) {
            alerts.add(emitted(state, alert(state, AlertPhase.UPDATED, lastFrame, now, countOf(state),
                    AlertMessages.updated(state, rule, now)), now));
            state.dirty = false;
        }
    }

    /** Stable for the incident and unique per camera: one rule starts at most one incident per frame. */
    private String incidentId(CompiledRule rule) {
        return cameraId + "/" + rule.ruleId() + "/" + AlertMessages.slug(rule.type()) + "/" + lastFrameSeq;
    }

    private static Integer countOf(IncidentState state) {
        return switch (state.type) {
            case ZONE_EXIT, LINE_CROSSING -> state.eventCount;
            default -> state.current.size();
        };
    }

    /** Records that the incident sent an alert now, for update throttling and {@link #openIncidents()}. */
    private Alert emitted(IncidentState state, Alert alert, long now) {
        state.lastEmittedMillis = now;
        state.lastPhase = alert.getPhase();
        return alert;
    }

    private Alert alert(IncidentState state, AlertPhase phase, FrameRef frame, long now, Integer count, String message) {
        return Alert.newBuilder()
                .setIncidentId(state.incidentId)
                .setPhase(phase)
                .setCameraId(cameraId)
                .setRuleId(state.ruleId)
                .setRuleType(state.type)
                .setClassNames(new ArrayList<>(state.classNames))
                .setTrackIds(new ArrayList<>(state.trackIds))
                .setFirstFrame(FrameRef.newBuilder(state.firstFrame).build())
                .setLastFrame(FrameRef.newBuilder(frame).build())
                .setCount(count)
                .setMessage(message)
                // The frame's capture time, not the wall clock, so a replay emits identical alerts.
                .setEmittedAt(frame.getCaptureTime())
                .build();
    }
}
