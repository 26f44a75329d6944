package io.strix.camsim.truth;

import java.util.Locale;

/**
 * MOTChallenge ground truth lines: {@code frame,id,x,y,w,h,conf,class,visibility}. Frames count from 1; x, y are the
 * 0-based pixel position of the box's top-left corner (the detector's convention; MOTChallenge's own sequences count
 * pixels from 1); conf is 1 for an object with visible pixels and 0 for one that is wholly hidden (evaluation ignores
 * it); class is the COCO class number; visibility is 0..1.
 */
public final class MotFormat {
    private MotFormat() {
    }

    public static String line(FrameTruth frame, ObjectTruth o) {
        return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%d,%.4f", frame.frame(), o.id(), o.x(), o.y(),
                o.width(), o.height(), o.visible() ? 1 : 0, o.objectClass().cocoId(), o.visibility());
    }

    /** All lines of a frame, each ending in a newline. */
    public static String lines(FrameTruth frame) {
        StringBuilder sb = new StringBuilder();
        for (ObjectTruth o : frame.objects()) {
            sb.append(line(frame, o)).append('\n');
        }
        return sb.toString();
    }
}
