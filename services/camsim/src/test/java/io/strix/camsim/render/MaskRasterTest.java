package io.strix.camsim.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskRasterTest {
    @Test
    void fillsExactlyThePixelsWhoseCentresLieInsideAPolygon() {
        MaskRaster mask = new MaskRaster(10, 10);
        mask.begin(3, 0, 0, 10, 10);
        mask.polygon(new float[]{2, 6, 6, 2}, new float[]{1, 1, 4, 4}, 0, 4);
        assertThat(mask.end()).isEqualTo(12);
        assertThat(mask.ids()[1 * 10 + 2]).isEqualTo(3);
        assertThat(mask.ids()[3 * 10 + 5]).isEqualTo(3);
        assertThat(mask.ids()[4 * 10 + 2]).isZero();
        assertThat(mask.ids()[1 * 10 + 6]).isZero();
    }

    @Test
    void countsTheWholeSilhouetteOnceEvenWhereItLeavesTheImageOrOverlapsItself() {
        MaskRaster mask = new MaskRaster(10, 10);
        mask.begin(1, -10, -10, 20, 20);
        mask.polygon(new float[]{-5, 5, 5, -5}, new float[]{0, 0, 2, 2}, 0, 4);
        mask.polygon(new float[]{0, 5, 5, 0}, new float[]{0, 0, 2, 2}, 0, 4);
        assertThat(mask.end()).isEqualTo(20);
        int inImage = 0;
        for (int id : mask.ids()) {
            inImage += id == 1 ? 1 : 0;
        }
        assertThat(inImage).isEqualTo(10);
    }

    @Test
    void laterObjectsAndOccludersTakeOverPixels() {
        MaskRaster mask = new MaskRaster(4, 4);
        mask.begin(1, 0, 0, 4, 4);
        mask.polygon(new float[]{0, 4, 4, 0}, new float[]{0, 0, 4, 4}, 0, 4);
        mask.end();
        mask.begin(2, 0, 0, 4, 4);
        mask.circle(2, 2, 1.2f);
        mask.end();
        mask.occlude(new boolean[]{true, true, false, false}, 0, 0, 4, 1);
        assertThat(mask.ids()[0]).isZero();
        assertThat(mask.ids()[2]).isEqualTo(1);
        assertThat(mask.ids()[2 * 4 + 2]).isEqualTo(2);
    }
}
