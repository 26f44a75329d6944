package io.strix.detector.inference;

/** Where ONNX Runtime runs the model. */
public enum Accelerator {
    /** The CPU execution provider (the default; the onnxruntime jar carries it). */
    CPU,
    /** CUDA, or fail at start with the reason when this ONNX Runtime build or this machine has no CUDA. */
    CUDA,
    /** CUDA when available, else the CPU (logged). */
    AUTO
}
