package io.strix.ingest.registry;

import io.strix.schema.CameraConfig;
import io.strix.schema.RtspTransport;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads cameras from the command line ({@code --camera ID=URL[,fps=F][,width=W][,quality=Q][,transport=udp]}) and
 * from a cameras file (YAML or JSON: a list of objects with cameraId, url and optional settings).
 */
public final class CameraSpecs {
    // Options are taken from the end, so a URL may itself contain commas or '='.
    private static final Pattern TRAILING_OPTION =
            Pattern.compile(",(fps|width|quality|transport|name|loop)=([^,]*)$", Pattern.CASE_INSENSITIVE);

    private CameraSpecs() {
    }

    public static CameraConfig parseFlag(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--camera '" + spec + "': expected ID=URL[,fps=F][,width=W]");
        }
        String id = spec.substring(0, eq).strip();
        String rest = spec.substring(eq + 1).strip();
        Map<String, Object> fields = new HashMap<>();
        Matcher m = TRAILING_OPTION.matcher(rest);
        while (m.find()) {
            fields.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2).strip());
            rest = rest.substring(0, m.start());
            m = TRAILING_OPTION.matcher(rest);
        }
        fields.put("cameraId", id);
        fields.put("url", rest);
        return fromMap(fields, "--camera '" + id + "'");
    }

    public static List<CameraConfig> readFile(Path file) {
        Object root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader); // YAML also reads JSON
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read cameras file " + file + ": " + e.getMessage());
        }
        if (root instanceof Map<?, ?> map && map.get("cameras") instanceof List<?> list) {
            root = list;
        }
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException("Cameras file " + file + " must hold a list of cameras (or 'cameras:')");
        }
        List<CameraConfig> cameras = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(file + " entry " + i + ": expected an object with cameraId and url");
            }
            Map<String, Object> fields = new HashMap<>();
            entry.forEach((k, v) -> fields.put(String.valueOf(k), v));
            cameras.add(fromMap(fields, file + " entry " + i));
        }
        return cameras;
    }

    /** Builds a camera from loose fields (REST bodies, files, flags); unknown fields are an error. */
    public static CameraConfig fromMap(Map<String, Object> fields, String where) {
        CameraConfig.Builder b = CameraConfig.newBuilder().setUpdatedAt(Instant.now());
        Map<String, String> options = new HashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (value == null) {
                continue;
            }
            String text = String.valueOf(value);
            try {
                switch (key) {
                    case "cameraId", "id" -> b.setCameraId(text);
                    case "url" -> b.setUrl(text);
                    case "name" -> b.setName(text);
                    case "enabled" -> b.setEnabled(bool(text));
                    case "fps", "targetFps" -> b.setTargetFps(Float.parseFloat(text));
                    case "width", "maxWidth" -> b.setMaxWidth(Integer.parseInt(text));
                    case "quality", "jpegQuality" -> b.setJpegQuality(Integer.parseInt(text));
                    case "transport", "rtspTransport" -> b.setRtspTransport(RtspTransport.valueOf(text.toUpperCase(Locale.ROOT)));
                    case "loop" -> options.put("loop", Boolean.toString(bool(text)));
                    case "options" -> {
                        if (!(value instanceof Map<?, ?> map)) {
                            throw new IllegalArgumentException("must be an object of strings");
                        }
                        map.forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
                    }
                    default -> throw new IllegalArgumentException("unknown field");
                }
            } catch (IllegalArgumentException ex) {
                String reason = ex instanceof NumberFormatException ? "'" + text + "' is not a number" : ex.getMessage();
                if (ex.getMessage() != null && ex.getMessage().startsWith("No enum constant")) {
                    reason = "must be tcp or udp";
                }
                throw new InvalidCameraException(List.of(new CameraValidation.Problem(key, reason)), where);
            }
        }
        b.setOptions(options);
        if (!b.hasCameraId()) {
            throw new InvalidCameraException(List.of(new CameraValidation.Problem("cameraId", "is required")), where);
        }
        if (!b.hasUrl()) {
            throw new InvalidCameraException(List.of(new CameraValidation.Problem("url", "is required")), where);
        }
        CameraConfig camera = b.build();
        List<CameraValidation.Problem> problems = CameraValidation.check(camera);
        if (!problems.isEmpty()) {
            throw new InvalidCameraException(problems, where);
        }
        return camera;
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }
}
