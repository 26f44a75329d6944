package io.strix.camsim.world;

/**
 * Light of one scene, from the hour of the day and the weather: sun direction and colour, sky light, sky and fog
 * colours, and whether street lamps and headlights are on. Colours are linear RGB already scaled to what the camera
 * shows (an auto-exposed CCTV camera), so a mid-grey surface in full light comes out around 0.5.
 */
public final class Lighting {
    public final double hour;
    public final Weather weather;
    /** Unit vector towards the sun. */
    public final double sunX;
    public final double sunY;
    public final double sunZ;
    public final float[] sun;
    public final float[] ambient;
    public final float[] skyZenith;
    public final float[] skyHorizon;
    public final float[] fog;
    /** Distance (m) over which fog takes 63 % of a colour. */
    public final double fogDistance;
    /** 0 in daylight, 1 at full night. */
    public final double darkness;
    public final double cloudCover;
    public final boolean lampsOn;
    public final boolean headlightsOn;
    /** Standard deviation of the sensor noise, in 8-bit levels. */
    public final double sensorNoise;

    public Lighting(double hour, Weather weather, double northAzimuth) {
        this.hour = ((hour % 24) + 24) % 24;
        this.weather = weather;
        double h = this.hour;
        double elevation;
        if (h >= 6 && h <= 18) {
            elevation = 62 * Math.sin(Math.PI * (h - 6) / 12);
        } else {
            double fromEdge = h > 18 ? h - 18 : 6 - h;
            elevation = -Math.min(30, fromEdge * 12);
        }
        double azimuth = Math.toRadians(90 + 180 * (h - 6) / 12) + northAzimuth;
        double el = Math.toRadians(Math.max(elevation, 3));
        this.sunX = Math.sin(azimuth) * Math.cos(el);
        this.sunY = Math.cos(azimuth) * Math.cos(el);
        this.sunZ = Math.sin(el);

        double day = Noise.smoothstep(-7, 7, elevation);
        double golden = day * (1 - Noise.smoothstep(4, 24, elevation));
        this.darkness = 1 - day;
        double direct = switch (weather) {
            case CLEAR -> 1.0;
            case CLOUDY -> 0.75;
            case OVERCAST -> 0.0;
            case RAIN -> 0.0;
            case FOG -> 0.12;
        };
        this.cloudCover = switch (weather) {
            case CLEAR -> 0.15;
            case CLOUDY -> 0.55;
            case OVERCAST, FOG -> 1.0;
            case RAIN -> 1.0;
        };
        double sunStrength = direct * day * Noise.smoothstep(0, 10, elevation);
        float[] white = {1.0f, 0.96f, 0.88f};
        float[] orange = {1.0f, 0.62f, 0.34f};
        this.sun = scale(mix(white, orange, golden), sunStrength * 0.95);

        float[] nightAmbient = {0.075f, 0.085f, 0.13f};
        float[] clearAmbient = {0.40f, 0.44f, 0.54f};
        float[] greyAmbient = {0.86f, 0.87f, 0.90f};
        float[] duskAmbient = {0.58f, 0.46f, 0.50f};
        float[] dayAmbient = mix(clearAmbient, greyAmbient, 1 - direct);
        dayAmbient = mix(dayAmbient, duskAmbient, golden * 0.5 * direct);
        if (weather == Weather.RAIN) {
            dayAmbient = scale(dayAmbient, 0.82);
        }
        this.ambient = mix(nightAmbient, dayAmbient, day);

        float[] zenith = mix(new float[]{0.30f, 0.50f, 0.85f}, new float[]{0.70f, 0.72f, 0.76f}, cloudCover);
        float[] horizon = mix(new float[]{0.74f, 0.83f, 0.94f}, new float[]{0.82f, 0.83f, 0.85f}, cloudCover);
        horizon = mix(horizon, new float[]{1.0f, 0.70f, 0.48f}, golden * (1 - 0.6 * cloudCover));
        zenith = mix(zenith, new float[]{0.34f, 0.38f, 0.62f}, golden * 0.6);
        this.skyZenith = mix(new float[]{0.02f, 0.03f, 0.07f}, zenith, day);
        this.skyHorizon = mix(new float[]{0.16f, 0.13f, 0.15f}, horizon, day);
        this.fog = mix(skyHorizon, new float[]{0.6f, 0.62f, 0.65f}, weather == Weather.FOG ? 0.5 * day : 0);
        this.fogDistance = switch (weather) {
            case CLEAR -> 1400;
            case CLOUDY -> 900;
            case OVERCAST -> 550;
            case RAIN -> 260;
            case FOG -> 85;
        };
        this.lampsOn = day < 0.65;
        this.headlightsOn = day < 0.75 || weather == Weather.RAIN || weather == Weather.FOG;
        this.sensorNoise = 2.0 + 7.0 * darkness + (weather == Weather.RAIN ? 1 : 0);
    }

    /** How strongly direct sunlight is there at all (0 at night or under overcast). */
    public double sunStrength() {
        return (sun[0] + sun[1] + sun[2]) / 3;
    }

    public static float[] mix(float[] a, float[] b, double t) {
        float s = (float) t;
        return new float[]{a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s, a[2] + (b[2] - a[2]) * s};
    }

    public static float[] scale(float[] a, double s) {
        return new float[]{(float) (a[0] * s), (float) (a[1] * s), (float) (a[2] * s)};
    }

    @Override
    public String toString() {
        return String.format("%02d:%02d %s", (int) hour, (int) ((hour % 1) * 60), weather.name().toLowerCase());
    }
}
