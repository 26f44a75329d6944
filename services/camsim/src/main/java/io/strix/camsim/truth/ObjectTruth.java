package io.strix.camsim.truth;

/**
 * Ground truth of one object in one frame.
 *
 * @param id             persistent object id (the same while the object exists)
 * @param objectClass    what it is
 * @param x              left edge of the visible extent, pixels (0 = the image's left edge)
 * @param y              top edge of the visible extent
 * @param width          width of the visible extent; the box holds every pixel the object shows in the frame
 * @param height         height of the visible extent
 * @param visibility     visible pixels / pixels of the whole silhouette (unoccluded, including outside the image)
 * @param visiblePixels  pixels of the object seen in the frame
 * @param amodal         box of the whole silhouette clipped to the frame: {x, y, width, height}; the box used when
 *                       nothing is visible
 * @param distance       metres from the camera
 */
public record ObjectTruth(int id, ObjectClass objectClass, int x, int y, int width, int height, double visibility,
                          int visiblePixels, int[] amodal, double distance) {

    /** Whether any pixel of the object is seen. */
    public boolean visible() {
        return visiblePixels > 0;
    }
}
