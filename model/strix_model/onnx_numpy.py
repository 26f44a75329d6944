"""A small NumPy interpreter for the ONNX operators our exported detector uses.

Debian 12 ships onnx 1.12 (no `onnx.reference.ReferenceEvaluator`, added in 1.13) and no onnxruntime
for Python, so this is how the Python side runs an .onnx file: parity tests against PyTorch and
`eval.py --onnx`. It follows the ONNX operator specs for the attributes our graphs use and refuses
anything else by name, so an unsupported export fails loudly instead of computing something wrong.
The Java detector runs the same file with ONNX Runtime; its parity test checks that side.
"""
from typing import Callable, Dict, List, Sequence

import numpy as np
import onnx
from onnx import numpy_helper

try:  # onnx >= 1.13
    from onnx.helper import tensor_dtype_to_np_dtype as _np_dtype
except ImportError:  # onnx 1.12 (Debian 12)
    from onnx.mapping import TENSOR_TYPE_TO_NP_TYPE

    def _np_dtype(elem_type):
        return TENSOR_TYPE_TO_NP_TYPE[elem_type]


class UnsupportedOperator(NotImplementedError):
    pass


def _attrs(node: onnx.NodeProto) -> Dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b=None, *, group=1, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1), auto_pad=b"NOTSET",
          kernel_shape=None):
    if auto_pad not in (b"NOTSET", "NOTSET"):
        raise UnsupportedOperator(f"Conv auto_pad={auto_pad!r}")
    if x.ndim != 4:
        raise UnsupportedOperator("Conv is supported for 2-D images only")
    n, c, _, _ = x.shape
    out_c, c_per_group, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    dh, dw = dilations
    sh, sw = strides
    windows = np.lib.stride_tricks.sliding_window_view(x, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(2, 3))
    windows = windows[:, :, ::sh, ::sw, ::dh, ::dw]  # [N, C, Ho, Wo, kh, kw]
    ho, wo = windows.shape[2:4]
    windows = windows.reshape(n, group, c_per_group, ho, wo, kh, kw)
    kernels = w.reshape(group, out_c // group, c_per_group, kh, kw)
    if c_per_group == 1:  # depthwise: no reduction over input channels
        y = np.einsum("ngchwij,gocij->ngohw", windows, kernels, optimize=True)
    else:
        cols = windows.transpose(0, 1, 3, 4, 2, 5, 6).reshape(n, group, ho * wo, c_per_group * kh * kw)
        y = np.matmul(cols, kernels.reshape(group, out_c // group, -1).transpose(0, 2, 1))  # [N,G,HW,O]
        y = y.transpose(0, 1, 3, 2).reshape(n, group, out_c // group, ho, wo)
    y = y.reshape(n, out_c, ho, wo).astype(x.dtype, copy=False)
    return y + b.reshape(1, -1, 1, 1) if b is not None else y


def _resize(x, roi=None, scales=None, sizes=None, *, mode=b"nearest", coordinate_transformation_mode=b"half_pixel",
            nearest_mode=b"round_prefer_floor", **_):
    mode = mode.decode() if isinstance(mode, bytes) else mode
    ctm = coordinate_transformation_mode
    ctm = ctm.decode() if isinstance(ctm, bytes) else ctm
    nm = nearest_mode.decode() if isinstance(nearest_mode, bytes) else nearest_mode
    if mode != "nearest" or ctm != "asymmetric" or nm != "floor":
        raise UnsupportedOperator(f"Resize mode={mode} coordinate_transformation_mode={ctm} nearest_mode={nm}")
    if sizes is not None and len(sizes):
        out_shape = [int(s) for s in sizes]
        scales = [o / i for o, i in zip(out_shape, x.shape)]
    else:
        out_shape = [int(np.floor(d * s)) for d, s in zip(x.shape, scales)]
    for axis, (size, scale) in enumerate(zip(out_shape, scales)):
        if size != x.shape[axis]:
            index = np.minimum(np.floor(np.arange(size) / scale).astype(np.int64), x.shape[axis] - 1)
            x = np.take(x, index, axis=axis)
    return x


def _layer_norm(x, scale, bias=None, *, axis=-1, epsilon=1e-5, stash_type=1):
    axes = tuple(range(axis % x.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + epsilon) * scale
    return y + bias if bias is not None else y


def _softmax(x, *, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _reshape(x, shape, *, allowzero=0):
    shape = [int(s) for s in shape]
    if not allowzero:
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * x.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        index[int(axis)] = slice(int(start), int(end), int(step))
    return x[tuple(index)]


def _reduce_sum(x, axes=None, *, keepdims=1, noop_with_empty_axes=0):
    if axes is None or len(axes) == 0:
        if noop_with_empty_axes:
            return x
        return x.sum(keepdims=bool(keepdims))
    return x.sum(axis=tuple(int(a) for a in axes), keepdims=bool(keepdims))


def _split(x, split=None, *, axis=0, num_outputs=None, _outputs=1):
    if split is None:
        parts = num_outputs or _outputs
        split = [x.shape[axis] // parts] * parts
    return tuple(np.split(x, np.cumsum(split)[:-1], axis=axis))


def _shape(x, *, start=0, end=None):
    return np.array(x.shape[start:end], dtype=np.int64)


def _constant(**attrs):
    if "value" in attrs:
        return numpy_helper.to_array(attrs["value"])
    for key, dtype in (("value_float", np.float32), ("value_floats", np.float32),
                       ("value_int", np.int64), ("value_ints", np.int64)):
        if key in attrs:
            return np.array(attrs[key], dtype=dtype)
    raise UnsupportedOperator(f"Constant with {sorted(attrs)}")


def _gather(x, indices, *, axis=0):
    return np.take(x, indices.astype(np.int64), axis=axis)


def _gemm(a, b, c=None, *, alpha=1.0, beta=1.0, transA=0, transB=0):
    y = alpha * ((a.T if transA else a) @ (b.T if transB else b))
    return y + beta * c if c is not None else y


OPS: Dict[str, Callable] = {
    "Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": lambda a, b: (
        a // b if np.issubdtype(a.dtype, np.integer) else np.divide(a, b)),
    "Pow": np.power, "Sqrt": np.sqrt, "Exp": np.exp, "Neg": np.negative, "Erf": None,
    "Sigmoid": lambda x: (1.0 / (1.0 + np.exp(-x))).astype(x.dtype),
    "Relu": lambda x: np.maximum(x, 0), "Tanh": np.tanh,
    "MatMul": np.matmul, "Gemm": _gemm, "Conv": _conv, "Resize": _resize,
    "LayerNormalization": _layer_norm, "Softmax": _softmax, "ReduceSum": _reduce_sum,
    "Reshape": _reshape, "Transpose": lambda x, *, perm=None: np.transpose(x, perm),
    "Concat": lambda *xs, axis: np.concatenate(xs, axis=axis), "Split": _split,
    "Slice": _slice, "Gather": _gather, "Shape": _shape, "Identity": lambda x: x,
    "Unsqueeze": lambda x, axes: np.expand_dims(x, tuple(int(a) for a in axes)),
    "Squeeze": lambda x, axes=None: np.squeeze(x, None if axes is None else tuple(int(a) for a in axes)),
    "Expand": lambda x, shape: np.broadcast_to(x, np.broadcast_shapes(x.shape, tuple(int(s) for s in shape))).copy(),
    "Cast": lambda x, *, to: x.astype(_np_dtype(to)),
    "Constant": _constant,
}
del OPS["Erf"]


class NumpyOnnxModel:
    """Runs an ONNX model: `NumpyOnnxModel(path).run({'images': x})` -> list of outputs."""

    def __init__(self, model):
        self.proto = model if isinstance(model, onnx.ModelProto) else onnx.load(str(model))
        graph = self.proto.graph
        self.initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        self.input_names = [i.name for i in graph.input if i.name not in self.initializers]
        self.output_names = [o.name for o in graph.output]
        missing = sorted({n.op_type for n in graph.node} - set(OPS))
        if missing:
            raise UnsupportedOperator(f"the NumPy ONNX interpreter does not implement {missing}")

    def run(self, feeds: Dict[str, np.ndarray], outputs: Sequence[str] = None) -> List[np.ndarray]:
        values = dict(self.initializers)
        values.update({k: np.asarray(v) for k, v in feeds.items()})
        for node in self.proto.graph.node:
            args = [values[name] if name else None for name in node.input]
            while args and args[-1] is None:
                args.pop()
            attrs = _attrs(node)
            if node.op_type == "Split":
                attrs["_outputs"] = len(node.output)
            try:
                result = OPS[node.op_type](*args, **attrs)
            except UnsupportedOperator:
                raise
            except Exception as e:  # name the node: a bare numpy error would be useless here
                raise RuntimeError(f"ONNX node {node.name or node.op_type} ({node.op_type}) failed: {e}") from e
            results = result if isinstance(result, tuple) else (result,)
            for name, value in zip(node.output, results):
                values[name] = np.asarray(value)
        return [values[name] for name in (outputs or self.output_names)]
