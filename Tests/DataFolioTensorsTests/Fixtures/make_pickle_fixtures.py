# Regenerates values_protocol_<n>.pkl: python make_pickle_fixtures.py
# The Swift tests compare each file with the value built in PickleReaderTests.swift.
import collections
import pickle
import os

# Fixtures are written next to this script, wherever it is run from. (Tests also run this
# text with `python -c` to reuse its functions; then there is no file and nothing is written.)
RUN_AS_SCRIPT = "__file__" in globals()
if RUN_AS_SCRIPT:
    os.chdir(os.path.dirname(os.path.abspath(__file__)))


def sample_value():
    shared = [9, "shared"]
    return {
        "none": None,
        "true": True,
        "false": False,
        "small": 7,
        "negative": -5,
        "int16": 40000,
        "int32": -(2**31),
        "int64": 2**62,
        "big": 2**70,
        "negative_big": -(2**100),
        "float": 1.5,
        "infinity": float("inf"),
        "text": "héllo ✓\nline",
        "empty": "",
        "bytes": b"\x00\xffab\n",
        "bytearray": bytearray(b"xy"),
        "nested": [1, [2, [3.25]]],
        "tuple": (1, "a"),
        "tuple1": (1,),
        "tuple0": (),
        "tuple4": (1, 2, 3, 4),
        "set": {3},
        "frozenset": frozenset({4}),
        "complex": 1 + 2j,
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]),
        "s1": shared,
        "s2": shared,
        1: "int key",
        (1, 2): "tuple key",
    }


if __name__ == "__main__" and RUN_AS_SCRIPT:
    for protocol in range(6):
        with open(f"values_protocol_{protocol}.pkl", "wb") as f:
            pickle.dump(sample_value(), f, protocol=protocol)
