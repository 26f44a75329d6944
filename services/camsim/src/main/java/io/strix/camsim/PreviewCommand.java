package io.strix.camsim;

import io.strix.camsim.live.SimCamera;
import io.strix.camsim.live.SimFrame;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.render.Overlay;
import io.strix.camsim.scenario.Scenario;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigException;
import io.strix.common.config.ConfigKey;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** {@code strix camsim preview}: one frame, or a contact sheet of several scenes, as a PNG with the boxes drawn. */
public final class PreviewCommand implements StrixCommand {
    @Override
    public String name() {
        return "preview";
    }

    @Override
    public String summary() {
        return "Write a PNG of a scene (or a contact sheet of scenes) with its ground-truth boxes.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CamsimKeys.SCENARIO, CamsimKeys.SEED, CamsimKeys.SIZE, CamsimKeys.TIME, CamsimKeys.SHEET,
                CamsimKeys.BOXES, CamsimKeys.OUT);
    }

    @Override
    public int run(Config config) throws Exception {
        Scenario scenario = RenderCommand.scenario(config);
        FrameSize size = config.get(CamsimKeys.SIZE);
        String sheet = config.get(CamsimKeys.SHEET);
        int cols = -1;
        int rows = -1;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,2})x(\\d{1,2})\\s*")
                .matcher(sheet.toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            cols = Integer.parseInt(m.group(1));
            rows = Integer.parseInt(m.group(2));
        }
        if (cols < 1 || rows < 1 || cols > 12 || rows > 12) {
            throw new ConfigException("Bad value for --sheet: '" + sheet + "' is not COLSxROWS between 1x1 and 12x12");
        }
        Path out = config.get(CamsimKeys.OUT);
        RenderCommand.createParent(out);
        BufferedImage result = sheet(scenario, config.get(CamsimKeys.SEED), size, config.get(CamsimKeys.TIME), cols,
                rows, config.get(CamsimKeys.BOXES), cols * rows > 1);
        ImageIO.write(result, "png", out.toFile());
        System.out.println("Wrote " + out + ": " + result.getWidth() + "x" + result.getHeight());
        return 0;
    }

    /** A grid of frames from consecutive seeds, each taken at the given time into its scene. */
    public static BufferedImage sheet(Scenario scenario, long seed, FrameSize size, double time, int cols, int rows,
                                      boolean boxes, boolean captions) {
        BufferedImage sheet = new BufferedImage(size.width() * cols, size.height() * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int i = 0; i < cols * rows; i++) {
            SimCamera camera = new SimCamera(scenario, seed + i, size, 10);
            SimFrame frame = camera.next();
            long frames = Math.round(time * 10);
            for (long k = 0; k < frames; k++) {
                frame = camera.next();
            }
            BufferedImage image = frame.rendered().copyImage();
            if (boxes) {
                Overlay.draw(image, frame.truth(), 0.0, !captions || size.width() >= 640);
            }
            int x = (i % cols) * size.width();
            int y = (i / cols) * size.height();
            g.drawImage(image, x, y, null);
            if (captions) {
                String text = camera.scene().toString();
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, size.height() / 32)));
                g.setColor(new Color(0, 0, 0, 160));
                g.fillRect(x, y + size.height() - g.getFontMetrics().getHeight() - 2, size.width(),
                        g.getFontMetrics().getHeight() + 2);
                g.setColor(Color.WHITE);
                g.drawString(text, x + 3, y + size.height() - 4);
            }
        }
        g.dispose();
        return sheet;
    }
}
