package io.strix.detector.pipeline;

import io.strix.detector.preprocess.Letterbox;
import io.strix.schema.SkipReason;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Frames on their way through the pipeline: after {@link FramePipeline#prepare} each is either letterboxed into a slot
 * of the batch's input buffer or skipped with a reason; after {@link FramePipeline#infer} the batch holds the model's
 * output (or the error). Handed from the preparing thread to the inference thread and back, one owner at a time.
 */
public final class FrameBatch {
    final List<FrameInput> frames;
    final int[] slot;              // -1: skipped
    final Letterbox[] letterbox;
    final int[] width;             // the frame's, as published
    final int[] height;
    final int[] pictureWidth;      // as decoded (smaller when decoded scaled), what the letterbox maps from
    final int[] pictureHeight;
    final SkipReason[] skipped;
    final String[] skipDetail;
    final boolean[] undecodable;
    int inferred;                  // frames in the input buffer
    FloatBuffer input;
    float[] output;
    String inferenceError;

    FrameBatch(List<FrameInput> frames) {
        this.frames = List.copyOf(frames);
        int n = frames.size();
        slot = new int[n];
        letterbox = new Letterbox[n];
        width = new int[n];
        height = new int[n];
        pictureWidth = new int[n];
        pictureHeight = new int[n];
        skipped = new SkipReason[n];
        skipDetail = new String[n];
        undecodable = new boolean[n];
    }

    public List<FrameInput> frames() {
        return frames;
    }

    /** Frames that go to (or went through) the model. */
    public int inferred() {
        return inferred;
    }
}
