#!/usr/bin/env python3
"""Decode Strix records with nothing but Debian's python3-avro and the schemas in this repository.

Strix writes Avro single-object encoding: C3 01, the writer schema's CRC-64-AVRO fingerprint (8 bytes, little
endian), then the Avro binary payload. This script finds the writer schema by fingerprint among schemas/*.avsc and
schemas/history/*.avsc, and prints each record as one JSON line.

    python3 schemas/python/strix_avro.py RECORD_FILE...
    kcat -C -b localhost:9092 -t strix.alerts -c 1 -e -f '%s' > alert.bin && python3 schemas/python/strix_avro.py alert.bin
"""
import base64
import io
import json
import os
import re
import sys

import avro.io
import avro.schema

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHARED = ["Box.avsc", "Point.avsc", "FrameRef.avsc"]  # named types the other schemas refer to
MARKER = b"\xc3\x01"


def _crc64_table():
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp)
    return empty, table


_EMPTY, _TABLE = _crc64_table()


# python3-avro 1.11 leaves a logical type's base as {"type":"long"}; the specification's Parsing Canonical Form
# (and Java's) strips it to "long".
_WRAPPED_PRIMITIVE = re.compile(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}')


def parsing_canonical_form(schema):
    return _WRAPPED_PRIMITIVE.sub(r'"\1"', schema.canonical_form)


def fingerprint(schema):
    """CRC-64-AVRO of the schema's Parsing Canonical Form, as the Avro specification defines it."""
    fp = _EMPTY
    for byte in parsing_canonical_form(schema).encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def _read(name):
    with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def load_schemas(schema_dir=SCHEMA_DIR):
    """All known writer schemas by fingerprint: current ones and their older versions in history/."""
    global SCHEMA_DIR
    SCHEMA_DIR = schema_dir
    shared = [_read(n) for n in SHARED]
    known = {}
    for name in sorted(os.listdir(schema_dir)):
        if not name.endswith(".avsc"):
            continue
        own = _read(name)
        # Parse the shared types first in one union so the named references resolve, then take ours.
        prefix = [s for s in shared if s["name"] != own["name"]]
        schema = avro.schema.parse(json.dumps(prefix + [own])).schemas[-1]
        known[fingerprint(schema)] = schema
    history = os.path.join(schema_dir, "history")
    if os.path.isdir(history):
        for name in sorted(os.listdir(history)):
            if name.endswith(".avsc"):
                with open(os.path.join(history, name), encoding="utf-8") as f:
                    schema = avro.schema.parse(f.read())
                known[fingerprint(schema)] = schema
    return known


def decode(data, known):
    """Returns (schema full name, record as a dict); raises ValueError with the reason when it cannot."""
    if len(data) < 10:
        raise ValueError("truncated: %d bytes, shorter than the 10-byte header" % len(data))
    if data[:2] != MARKER:
        raise ValueError("not Avro single-object encoding (starts with %s)" % data[:2].hex())
    fp = int.from_bytes(data[2:10], "little")
    schema = known.get(fp)
    if schema is None:
        raise ValueError("unknown writer schema fingerprint 0x%016x" % fp)
    reader = avro.io.DatumReader(schema, schema)
    record = reader.read(avro.io.BinaryDecoder(io.BytesIO(data[10:])))
    return schema.fullname, record


def _jsonable(value):
    if isinstance(value, bytes):
        return {"bytes": len(value), "base64_head": base64.b64encode(value[:16]).decode()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    known = load_schemas()
    status = 0
    for path in argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        try:
            name, record = decode(data, known)
            print(json.dumps({"file": path, "schema": name, "record": _jsonable(record)}, sort_keys=True))
        except Exception as e:  # report and go on with the next file
            print(json.dumps({"file": path, "error": str(e)}))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
