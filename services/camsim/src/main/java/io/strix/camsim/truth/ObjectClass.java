package io.strix.camsim.truth;

import java.util.Locale;

/**
 * The object classes camsim renders, with their COCO numbers (the 0-based index into COCO's 80 detection classes, as
 * YOLO tools and torchvision use them) and their index in camsim's own YOLO label files (data.yaml {@code names}).
 */
public enum ObjectClass {
    PERSON(0, 0),
    BICYCLE(1, 1),
    CAR(2, 2),
    MOTORCYCLE(3, 3),
    BUS(5, 4),
    TRUCK(7, 5),
    DOG(16, 6);

    private final int cocoId;
    private final int yoloIndex;

    ObjectClass(int cocoId, int yoloIndex) {
        this.cocoId = cocoId;
        this.yoloIndex = yoloIndex;
    }

    /** 0-based COCO class index (person 0, bicycle 1, car 2, motorcycle 3, bus 5, truck 7, dog 16). */
    public int cocoId() {
        return cocoId;
    }

    /** Index into data.yaml names: person 0, bicycle 1, car 2, motorcycle 3, bus 4, truck 5, dog 6. */
    public int yoloIndex() {
        return yoloIndex;
    }

    /** The COCO name, lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ObjectClass parse(String text) {
        for (ObjectClass c : values()) {
            if (c.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown class '" + text + "'; one of person, bicycle, car, motorcycle, bus,"
                + " truck, dog");
    }
}
