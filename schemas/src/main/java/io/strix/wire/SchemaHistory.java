package io.strix.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Older versions of our schemas, which readers still accept: a record's writer schema is found by its fingerprint
 * among the current schema and these. The files live in {@code schemas/history/} and are listed in its {@code INDEX}.
 */
public final class SchemaHistory {
    static final String RESOURCE_DIR = "strix-schemas/history/";

    private final List<Schema> schemas;

    private SchemaHistory(List<Schema> schemas) {
        this.schemas = List.copyOf(schemas);
    }

    public static SchemaHistory of(List<Schema> schemas) {
        return new SchemaHistory(schemas);
    }

    /** The history that ships in this jar. */
    public static SchemaHistory bundled() {
        List<Schema> schemas = new ArrayList<>();
        for (String file : readResource(RESOURCE_DIR + "INDEX").split("\n")) {
            String name = file.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            // Each history file is self-contained (every named type inlined), so it gets a parser of its own.
            schemas.add(new Schema.Parser().parse(readResource(RESOURCE_DIR + name)));
        }
        return new SchemaHistory(schemas);
    }

    /** Older versions of the record type with this full name. */
    public List<Schema> olderVersionsOf(String fullName) {
        return schemas.stream().filter(s -> s.getFullName().equals(fullName)).toList();
    }

    private static String readResource(String path) {
        try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path + " (is strix-schemas on the classpath?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
