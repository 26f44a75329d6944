package io.strix.camsim.world;

/** Sky and air of a scene: how much direct sun there is, how far one sees, whether it rains. */
public enum Weather {
    CLEAR, CLOUDY, OVERCAST, RAIN, FOG;

    public static Weather parse(String text) {
        for (Weather w : values()) {
            if (w.name().equalsIgnoreCase(text.strip())) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown weather '" + text + "'; one of clear, cloudy, overcast, rain, fog");
    }
}
