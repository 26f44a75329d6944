package io.strix.detector.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.strix.detector.postprocess.OutputLayout;
import io.strix.detector.preprocess.InputSize;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one ONNX Runtime session of a YOLO detector model: opens it with the configured threads and execution provider,
 * learns its input, output layout, class names, name and version, and runs batches from direct float buffers (no copy
 * on the way in). {@link #run} may be called from one thread at a time.
 */
public final class InferenceEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

    /**
     * @param intraOpThreads ONNX Runtime's threads for one inference; 0 lets it choose (one per physical core)
     * @param cudaDevice     the GPU when CUDA is used
     * @param spinWait       whether idle intra-op threads spin for the next inference (ONNX Runtime's default) or
     *                       sleep, leaving the cores to decoding and Kafka between inferences
     */
    public record Settings(int intraOpThreads, Accelerator accelerator, int cudaDevice, boolean spinWait) {
        public Settings(int intraOpThreads, Accelerator accelerator, int cudaDevice) {
            this(intraOpThreads, accelerator, cudaDevice, false);
        }

        public static Settings cpu(int intraOpThreads) {
            return new Settings(intraOpThreads, Accelerator.CPU, 0);
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo model;
    private final String provider;

    private InferenceEngine(OrtEnvironment env, OrtSession session, ModelInfo model, String provider) {
        this.env = env;
        this.session = session;
        this.model = model;
        this.provider = provider;
    }

    public static InferenceEngine open(ModelSource source, Settings settings) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", settings.spinWait() ? "1" : "0");
            String provider = addProvider(options, settings);
            try {
                session = env.createSession(source.bytes(), options);
            } catch (OrtException e) {
                throw new ModelException("ONNX Runtime cannot load " + source.description() + ": " + e.getMessage(), e);
            }
            ModelInfo model = describe(session, source);
            InferenceEngine engine = new InferenceEngine(env, session, model, provider);
            LOG.info("Model {} version {} from {}: input {}x{}, {} classes {}, {} output with {} candidates, on {}"
                            + " with {} intra-op threads", model.name(), model.version(), source.description(),
                    model.input().width(), model.input().height(), model.classes(), model.classNames(), model.layout(),
                    model.locations(), provider, settings.intraOpThreads() == 0 ? "default" : settings.intraOpThreads());
            return engine;
        } catch (OrtException e) {
            close(session);
            throw new ModelException("cannot configure ONNX Runtime: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    private static String addProvider(OrtSession.SessionOptions options, Settings settings) throws OrtException {
        if (settings.accelerator() == Accelerator.CPU) {
            return "CPU";
        }
        String unavailable;
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            try {
                options.addCUDA(settings.cudaDevice());
                return "CUDA device " + settings.cudaDevice();
            } catch (OrtException e) {
                unavailable = "CUDA device " + settings.cudaDevice() + " cannot be used: " + e.getMessage();
            }
        } else {
            unavailable = "this ONNX Runtime build has no CUDA execution provider (it has "
                    + OrtEnvironment.getAvailableProviders() + "); CUDA needs the com.microsoft.onnxruntime:"
                    + "onnxruntime_gpu artifact in place of onnxruntime, and CUDA 12 with cuDNN 9 on the machine";
        }
        if (settings.accelerator() == Accelerator.CUDA) {
            throw new ModelException("--execution-provider cuda: " + unavailable);
        }
        LOG.info("Running on the CPU: {}", unavailable);
        return "CPU";
    }

    private static ModelInfo describe(OrtSession session, ModelSource source) throws OrtException {
        Map<String, String> metadata = session.getMetadata().getCustomMetadata();
        if (session.getNumInputs() != 1) {
            throw new ModelException(source.description() + " has " + session.getNumInputs() + " inputs "
                    + session.getInputNames() + "; a YOLO detector has one, the images");
        }
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        if (!(input.getValue().getInfo() instanceof TensorInfo inputInfo) || inputInfo.type != OnnxJavaType.FLOAT) {
            throw new ModelException(source.description() + ": input " + input.getKey() + " is "
                    + input.getValue().getInfo() + "; the detector feeds float32 images [batch, 3, height, width]");
        }
        long[] shape = inputInfo.getShape();
        if (shape.length != 4 || (shape[1] != 3 && shape[1] > 0)) {
            throw new ModelException(source.description() + ": input " + input.getKey() + " has shape "
                    + Arrays.toString(shape) + "; expected [batch, 3, height, width]");
        }
        InputSize size;
        if (shape[2] > 0 && shape[3] > 0) {
            size = new InputSize((int) shape[3], (int) shape[2]);
        } else {
            size = ModelMetadata.inputSize(metadata).orElseThrow(() -> new ModelException(source.description()
                    + ": the input size is dynamic and the metadata has no imgsz"));
        }
        Optional<List<String>> names = ModelMetadata.classNames(metadata);
        long[] outputShape = probeOutputShape(session, input.getKey(), size);
        OutputLayout layout;
        try {
            layout = OutputLayout.detect(outputShape, metadata,
                    names.map(n -> OptionalInt.of(n.size())).orElse(OptionalInt.empty()));
        } catch (IllegalArgumentException e) {
            throw new ModelException(source.description() + ": " + e.getMessage());
        }
        int classes = layout.classes(outputShape);
        List<String> classNames = names.orElseGet(() -> IntStream.range(0, classes).mapToObj(i -> "class" + i).toList());
        String name = Optional.ofNullable(metadata.get("name")).filter(s -> !s.isBlank())
                .orElse(source.fileName().replaceFirst("(?i)\\.onnx$", ""));
        String version = Optional.ofNullable(metadata.get("version")).filter(s -> !s.isBlank())
                .orElseGet(() -> "sha256-" + sha256(source.bytes()).substring(0, 12));
        return new ModelInfo(name, version, classNames, input.getKey(), size, layout, layout.candidates(outputShape));
    }

    /** Runs one zero image: the actual output shape (exports often leave its dims symbolic), and a warm-up. */
    private static long[] probeOutputShape(OrtSession session, String inputName, InputSize size) throws OrtException {
        FloatBuffer zeros = direct(3 * size.pixels());
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), zeros,
                new long[] {1, 3, size.height(), size.width()});
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor out) || out.getInfo().type != OnnxJavaType.FLOAT) {
                throw new ModelException("the model's first output is " + value.getInfo()
                        + "; a YOLO detector's is a float32 tensor");
            }
            return out.getInfo().getShape();
        }
    }

    /** A direct float buffer in native order, the kind ONNX Runtime reads in place. */
    public static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public ModelInfo model() {
        return model;
    }

    /** "CPU" or "CUDA device N". */
    public String provider() {
        return provider;
    }

    /** Floats of one image of the input. */
    public int inputFloatsPerImage() {
        return 3 * model.input().pixels();
    }

    /**
     * Runs the first {@code count} images of {@code input} ([B, 3, H, W] from index 0, a direct buffer from
     * {@link #direct}) and returns their output, {@code count × model().outputFloatsPerImage()} floats.
     */
    public float[] run(FloatBuffer input, int count) throws OrtException {
        InputSize size = model.input();
        FloatBuffer view = input.duplicate().position(0).limit(count * inputFloatsPerImage()).slice();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, view, new long[] {count, 3, size.height(), size.width()});
             OrtSession.Result result = session.run(Map.of(model.inputName(), tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer floats = out.getFloatBuffer();
            int expected = count * model.outputFloatsPerImage();
            if (floats.remaining() != expected) {
                throw new IllegalStateException("the model returned " + floats.remaining() + " floats for "
                        + count + " images, expected " + expected + " (output shape "
                        + Arrays.toString(out.getInfo().getShape()) + ")");
            }
            float[] output = new float[expected];
            floats.get(output);
            return output;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("Cannot close the ONNX Runtime session", e);
            }
        }
    }

    @Override
    public void close() {
        close(session);
    }
}
