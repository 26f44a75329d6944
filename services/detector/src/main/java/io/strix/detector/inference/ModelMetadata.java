package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the ONNX {@code metadata_props} that YOLO exports write: Strix's ({@code names} as a JSON list,
 * {@code imgsz}, {@code version}, {@code name}) and Ultralytics' ({@code names} as a Python dict
 * {@code {0: 'person', ...}}, {@code imgsz} as {@code [640, 640]}).
 */
public final class ModelMetadata {
    private static final Pattern DICT_ENTRY = Pattern.compile("(\\d+)\\s*:\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\")");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private ModelMetadata() {
    }

    /** The class names in class-id order, if the metadata has them. */
    public static Optional<List<String>> classNames(Map<String, String> metadata) {
        String names = metadata.get("names");
        if (names == null || names.isBlank()) {
            return Optional.empty();
        }
        String text = names.strip();
        if (text.startsWith("[")) {
            try {
                List<String> list = new ArrayList<>();
                for (Object name : new JsonArray(text)) {
                    list.add(String.valueOf(name));
                }
                return Optional.of(list);
            } catch (RuntimeException e) {
                throw new ModelException("the model's metadata 'names' is not a JSON list of strings: " + text);
            }
        }
        if (text.startsWith("{")) {
            Map<Integer, String> byId = new TreeMap<>();
            Matcher m = DICT_ENTRY.matcher(text);
            while (m.find()) {
                byId.put(Integer.parseInt(m.group(1)), m.group(2) != null ? m.group(2) : m.group(3));
            }
            List<String> list = new ArrayList<>(byId.values());
            for (int id = 0; id < list.size(); id++) {
                if (!byId.containsKey(id)) {
                    throw new ModelException("the model's metadata 'names' has no class " + id + ": " + text);
                }
            }
            return Optional.of(list);
        }
        throw new ModelException("the model's metadata 'names' is neither a JSON list nor a {id: name} dict: " + text);
    }

    /**
     * The input size from {@code imgsz}, for models with dynamic input dims: {@code 320} (square) or, as Ultralytics
     * and Strix's rectangular exports write it, {@code [height, width]} ({@code [320, 576]}).
     */
    public static Optional<InputSize> inputSize(Map<String, String> metadata) {
        String imgsz = metadata.get("imgsz");
        if (imgsz == null) {
            return Optional.empty();
        }
        List<Integer> sides = new ArrayList<>();
        Matcher m = NUMBER.matcher(imgsz);
        while (m.find()) {
            sides.add(Integer.parseInt(m.group()));
        }
        return switch (sides.size()) {
            case 1 -> Optional.of(InputSize.square(sides.get(0)));
            case 2 -> Optional.of(new InputSize(sides.get(1), sides.get(0)));
            default -> throw new ModelException("the model's metadata 'imgsz' is neither S nor [height, width]: "
                    + imgsz);
        };
    }
}
