"""Regenerates the JSON fixtures with the Python tools the folio format mirrors.

Run from this folder with an environment that has orjson 3.13:
    python make_fixtures.py
"""
import json
import math
import random
import struct

import orjson
import os

# Fixtures are written next to this script, wherever it is run from. (Tests also run this
# text with `python -c` to reuse its functions; then there is no file and nothing is written.)
RUN_AS_SCRIPT = "__file__" in globals()
if RUN_AS_SCRIPT:
    os.chdir(os.path.dirname(os.path.abspath(__file__)))

random.seed(2024)

# 1. A document written by orjson exactly as a folio payload is (2-space indent).
controls = "".join(chr(c) for c in range(0x20))
document = {
    "schema_version": 2,
    "name": "fixture é 😀",
    "strings": [controls, '"quoted" \\back\\ /slash/', "\x7f", "\u2028\u2029", "\ufeff", "e\u0301", "\u00e9", "日本語", "👩‍👩‍👧‍👦", ""],
    "keys": {"\u00e9": 1, "e\u0301": 2, "": 3, "a\nb": 4, "z": 5, "a": 6},
    "numbers": [0, -1, 9223372036854775807, -9223372036854775808, 0.0, -0.0, 1.5, 0.1, 1e-05, 1.5e-07, 1e16,
                9999999999999998.0, 1.2345678901234568e18, 5e-324, 1.7976931348623157e308, 1705332600.0, 1705314600.123456,
                float("nan"), float("inf"), -float("inf")],
    "empty": [[], {}, [[]], [{}], {"a": []}],
    "flags": [True, False, None],
    "nested": {"level1": {"level2": {"level3": [1, [2, [3, [4]]]]}}},
}
with open("orjson-document.json", "wb") as f:
    f.write(orjson.dumps(document, option=orjson.OPT_INDENT_2))

# 2. Doubles and orjson's text for each, as big-endian hex bit patterns.
values = [0.0, -0.0, 1e-5, 1e16, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1 / 3]
for exponent in range(-20, 20, 2):
    power = float(f"1e{exponent}")
    values += [power, math.nextafter(power, math.inf), math.nextafter(power, -math.inf)]
for _ in range(40):
    values.append(struct.unpack(">d", random.getrandbits(64).to_bytes(8, "big"))[0])
    values.append(float(f"{random.randint(1, 10**random.randint(1, 17))}e{random.randint(-25, 25)}"))
    values.append(float(random.randint(-(2**62), 2**62)))
values = [v for v in values if math.isfinite(v)]
with open("orjson-floats.txt", "w") as f:
    for value in values:
        f.write(struct.pack(">d", value).hex() + " " + orjson.dumps(value).decode() + "\n")

# 3. What Python's own json module writes (ASCII escapes, NaN/Infinity, 1e-05), and the
#    orjson text of the same value.
python_document = {"text": "é 😀 \u2028 \x00", "values": [1e-05, 1.5e-07, 1e16, float("nan"), float("inf"), -float("inf"), 3.0, 12],
                   "nested": [{"a": None, "b": [True, False]}], "empty": [[], {}]}
with open("python-json.json", "w") as f:
    f.write(json.dumps(python_document, indent=4))
with open("python-json.expected.json", "wb") as f:
    f.write(orjson.dumps(python_document, option=orjson.OPT_INDENT_2))
