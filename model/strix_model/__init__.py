"""MobileViT-YOLO for Strix: model, training, evaluation and ONNX export. See model/README.md."""
import os

# GNU OpenMP threads spin while waiting for work by default. On a shared 2-core machine (CI, a Maven build
# next door) a spinning thread steals the core its sibling needs, and training ran 2-3x slower than with
# passive waiting in our measurements. Only effective before torch is first imported, hence here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
