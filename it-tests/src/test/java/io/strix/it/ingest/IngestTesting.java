package io.strix.it.ingest;

import io.strix.ingest.IngestService;
import io.strix.ingest.registry.CameraSpecs;
import io.strix.ingest.source.Sources;
import io.strix.ingest.worker.WorkerSettings;
import io.strix.schema.CameraConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ingest instances for tests: short timeouts so failures and recoveries show within seconds. */
final class IngestTesting {
    static final WorkerSettings FAST = new WorkerSettings(Duration.ofSeconds(3), Duration.ofSeconds(4),
            Duration.ofMillis(200), Duration.ofSeconds(2), 8, 4);

    private IngestTesting() {
    }

    static IngestService start(String bootstrap, String instance, String group, List<String> cameraSpecs)
            throws Exception {
        return start(bootstrap, instance, group, cameraSpecs, 3);
    }

    static IngestService start(String bootstrap, String instance, String group, List<String> cameraSpecs,
                               int partitions) throws Exception {
        List<CameraConfig> seeds = new ArrayList<>();
        List<IngestService.RejectedCamera> rejected = new ArrayList<>();
        for (String spec : cameraSpecs) {
            try {
                seeds.add(CameraSpecs.parseFlag(spec));
            } catch (IllegalArgumentException e) {
                rejected.add(new IngestService.RejectedCamera(spec.substring(0, spec.indexOf('=')), "?", e.getMessage()));
            }
        }
        IngestService service = new IngestService(new IngestService.Settings(bootstrap, 0, Optional.empty(), instance,
                group, partitions, -1, FAST, Duration.ofSeconds(6), seeds, rejected), Sources.factory());
        service.start();
        return service;
    }
}
