package io.strix.camsim.render;

import io.strix.camsim.truth.FrameTruth;
import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.truth.ObjectTruth;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Draws ground-truth boxes with class, id and visibility onto a picture, for previews and contact sheets. */
public final class Overlay {
    private Overlay() {
    }

    public static Color color(ObjectClass c) {
        return switch (c) {
            case PERSON -> new Color(0xFF3B30);
            case BICYCLE -> new Color(0xFFCC00);
            case CAR -> new Color(0x34C759);
            case MOTORCYCLE -> new Color(0xFF9500);
            case BUS -> new Color(0x5AC8FA);
            case TRUCK -> new Color(0xAF52DE);
            case DOG -> new Color(0xFF2D92);
        };
    }

    /**
     * Draws the boxes of objects at least minVisibility visible (dashed when less than half visible).
     */
    public static void draw(BufferedImage image, FrameTruth truth, double minVisibility, boolean labels) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        float scale = Math.max(1, image.getWidth() / 640f);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(9 * scale)));
        for (ObjectTruth o : truth.objects()) {
            if (o.visibility() < minVisibility || !o.visible()) {
                continue;
            }
            Color c = color(o.objectClass());
            g.setColor(c);
            float w = scale;
            g.setStroke(o.visibility() >= 0.5 ? new BasicStroke(w)
                    : new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4, new float[]{3 * w, 2 * w}, 0));
            g.drawRect(o.x(), o.y(), Math.max(1, o.width() - 1), Math.max(1, o.height() - 1));
            if (labels && o.height() > 12) {
                String text = o.objectClass().label() + " " + o.id() + " " + Math.round(o.visibility() * 100) + "%";
                int tw = g.getFontMetrics().stringWidth(text);
                int th = g.getFontMetrics().getAscent();
                int ty = Math.max(th, o.y() - 1);
                g.setColor(new Color(0, 0, 0, 150));
                g.fillRect(o.x(), ty - th, tw + 2, th + 1);
                g.setColor(c);
                g.drawString(text, o.x() + 1, ty - 1);
            }
        }
        g.dispose();
    }
}
