package io.strix.aggregator.rules;

import java.util.List;

/** The class names rule filters may use, as the {@code --known-classes} setting names them. */
public final class KnownClasses {
    /** The setting's word for the 80 COCO class names. */
    public static final String COCO = "coco";
    /** The setting's word for accepting any class name. */
    public static final String ANY = "any";

    /** COCO's 80 class names in their usual order: the naming of the shipped model and of camsim. */
    public static final List<String> COCO_NAMES = List.of("person", "bicycle", "car", "motorcycle", "airplane", "bus",
            "train", "truck", "boat", "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird",
            "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
            "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat",
            "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "wine glass", "cup", "fork",
            "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog",
            "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed", "dining table", "toilet", "tv",
            "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
            "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush");

    private KnownClasses() {
    }

    /**
     * @param setting {@code [coco]}, {@code [any]}, or class names ({@code coco} among them adds the COCO names)
     * @return the names to accept; empty means any
     */
    public static List<String> resolve(List<String> setting) {
        if (setting.isEmpty() || setting.size() == 1 && setting.get(0).equalsIgnoreCase(ANY)) {
            return List.of();
        }
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (String name : setting) {
            if (name.equalsIgnoreCase(COCO)) {
                names.addAll(COCO_NAMES);
            } else {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }
}
