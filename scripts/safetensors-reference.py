#!/usr/bin/env python3
"""An independent safetensors reader in plain Python (struct + json only).

The tests of src/checkpoint/safetensors.ts run it on files that the TypeScript
writer produced, to show that a reader written from the format's description
alone, in another language, accepts them and sees the same tensors.

Usage: /usr/bin/python3 scripts/safetensors-reference.py read FILE
Prints one JSON object: header_length, header_text, metadata, and for each
tensor its dtype, shape, data_offsets, hex (its bytes) and values (decoded
little-endian; non-finite floats as the strings "nan", "inf", "-inf").
Exits 1 with a message on stderr if the file breaks the format.
"""
import json
import math
import struct
import sys

# dtype -> (bytes per element, struct code); BF16 is decoded by hand.
DTYPES = {
    "F64": (8, "d"), "F32": (4, "f"), "F16": (2, "e"), "BF16": (2, None),
    "I64": (8, "q"), "I32": (4, "i"), "I16": (2, "h"), "I8": (1, "b"),
    "U8": (1, "B"), "BOOL": (1, "?"),
}
MAX_HEADER = 100_000_000


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(1)


def decode_values(dtype, raw):
    size, code = DTYPES[dtype]
    count = len(raw) // size
    if code is not None:
        values = list(struct.unpack("<%d%s" % (count, code), raw))
    else:  # BF16 is the top half of an IEEE float32
        halves = struct.unpack("<%dH" % count, raw)
        values = [struct.unpack("<f", struct.pack("<I", h << 16))[0] for h in halves]
    return [json_safe(v) for v in values]


def json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def read(path):
    with open(path, "rb") as handle:
        blob = handle.read()
    if len(blob) < 8:
        fail("shorter than 8 bytes")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER or 8 + n > len(blob):
        fail("bad header length %d" % n)
    header_text = blob[8:8 + n].decode("utf-8")
    header = json.loads(header_text)
    if not isinstance(header, dict):
        fail("header is not an object")
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(v, str) for v in metadata.values()):
        fail("metadata values must be strings")
    data = blob[8 + n:]
    placed = sorted(header.items(), key=lambda item: tuple(item[1]["data_offsets"]))
    tensors = {}
    cursor = 0
    for name, info in placed:
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in DTYPES:
            fail("%s: unknown dtype %s" % (name, dtype))
        if begin != cursor or end < begin:
            fail("%s: data_offsets %r do not follow on from %d" % (name, info["data_offsets"], cursor))
        if end - begin != math.prod(shape) * DTYPES[dtype][0]:
            fail("%s: shape %r of %s does not match %d bytes" % (name, shape, dtype, end - begin))
        cursor = end
        raw = data[begin:end]
        tensors[name] = {
            "dtype": dtype, "shape": shape, "data_offsets": [begin, end],
            "hex": raw.hex(), "values": decode_values(dtype, raw),
        }
    if cursor != len(data):
        fail("data is %d bytes but the header describes %d" % (len(data), cursor))
    print(json.dumps({
        "header_length": n, "header_text": header_text,
        "metadata": metadata, "tensors": tensors,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "read":
        fail("usage: safetensors-reference.py read FILE")
    read(sys.argv[2])
