package io.strix.ingest.registry;

import java.util.List;

/** A camera definition that cannot be accepted; lists every problem by field. */
public final class InvalidCameraException extends IllegalArgumentException {
    private final transient List<CameraValidation.Problem> problems;

    public InvalidCameraException(List<CameraValidation.Problem> problems, String where) {
        super(where + ": " + String.join("; ", problems.stream().map(Object::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<CameraValidation.Problem> problems() {
        return problems;
    }
}
