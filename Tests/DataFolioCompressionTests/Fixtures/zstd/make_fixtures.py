"""Regenerates the Zstandard decoder fixtures in this folder.

Usage: python make_fixtures.py   (needs the `zstandard` package)

Each fixture is a compressed file; MANIFEST lists its name, the decompressed size and the
MD5 of the decompressed bytes, so the originals need not be committed.
"""
import hashlib
import io
import os
import random
import struct

import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240611)

WORDS = ("the of and to in is was for on that with as by at from this be are or an it his "
         "which had not but were have all their they one been has more when there will who "
         "zstandard parquet column page dictionary encoding offset literal sequence frame").split()


def text(size):
    # Sentences drawn from a small pool, with word substitutions: text-like redundancy.
    pool = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))) for _ in range(60)]
    out = []
    total = 0
    while total < size:
        words = rng.choice(pool).split()
        if rng.random() < 0.5:
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        sentence = " ".join(words).capitalize() + rng.choice([". ", ", ", "; ", ".\n"])
        out.append(sentence)
        total += len(sentence)
    return "".join(out).encode()[:size]


def skewed(size):
    # Few long matches, a skewed byte distribution: exercises Huffman-coded literals.
    return bytes(min(255, int(rng.expovariate(0.08))) for _ in range(size))


def int64_column(count):
    values = []
    current = 1_000_000
    for _ in range(count):
        current += rng.randint(0, 20)
        values.append(current)
    return struct.pack("<%dq" % count, *values)


def compress(data, **kwargs):
    params = kwargs.pop("params", None)
    if params is not None:
        return zstandard.ZstdCompressor(compression_params=params, **kwargs).compress(data)
    return zstandard.ZstdCompressor(**kwargs).compress(data)


def streamed(data, level=3, checksum=False):
    """A frame without the content size, as written by a streaming compressor."""
    compressor = zstandard.ZstdCompressor(level=level, write_checksum=checksum, write_content_size=False)
    obj = compressor.compressobj()
    return obj.compress(data) + obj.flush()


def skippable(payload):
    return struct.pack("<II", 0x184D2A5A, len(payload)) + payload


fixtures = {}
sample_text = text(140_000)
fixtures["text-level1.zst"] = (sample_text, compress(sample_text, level=1))
fixtures["text-level3.zst"] = (sample_text, compress(sample_text, level=3))
fixtures["text-level19.zst"] = (sample_text, compress(sample_text, level=19))
fixtures["text-checksum.zst"] = (sample_text[:50_000], compress(sample_text[:50_000], level=3, write_checksum=True))
fixtures["text-no-content-size.zst"] = (sample_text[:60_000], streamed(sample_text[:60_000], level=5))

chunk = bytes(rng.getrandbits(8) for _ in range(4_000))
long_data = b"".join(chunk + text(2_000) for _ in range(12))
ldm = zstandard.ZstdCompressionParameters.from_level(19, window_log=27, enable_ldm=True, write_checksum=True)
fixtures["long-distance-matching.zst"] = (long_data, compress(long_data, params=ldm))

skew = skewed(30_000)
fixtures["skewed-literals-level3.zst"] = (skew, compress(skew, level=3))

column = int64_column(10_000)
fixtures["int64-column-level3.zst"] = (column, compress(column, level=3))
fixtures["int64-column-level19.zst"] = (column, compress(column, level=19, write_checksum=True))

parts = [sample_text[:10_000], b"", column[:20_000]]
fixtures["multiple-frames.zst"] = (
    b"".join(parts),
    compress(parts[0], level=1) + compress(parts[1], level=3) + streamed(parts[2], level=7, checksum=True))
fixtures["skippable-frames.zst"] = (
    sample_text[:5_000],
    skippable(b"metadata") + compress(sample_text[:5_000], level=3) + skippable(b""))

fixtures["empty.zst"] = (b"", compress(b"", level=3))
fixtures["empty-no-content-size.zst"] = (b"", streamed(b"", level=3))
for size in (1, 2, 3, 7, 16, 100):
    data = sample_text[:size]
    fixtures["tiny-%d.zst" % size] = (data, compress(data, level=3, write_checksum=True))

noise = bytes(rng.getrandbits(8) for _ in range(5_000))
fixtures["incompressible.zst"] = (noise, compress(noise, level=3))

# Fixed-size records: every sequence has the same lengths and offset (RLE sequence tables).
records = b"".join(b"AAAAAAA" + bytes([rng.randrange(256)]) for _ in range(2000))
fixtures["records-level1.zst"] = (records, compress(records, level=1))

# Few distinct literal values: Huffman weights stored directly instead of FSE-compressed.
small_ints = struct.pack("<5000i", *[rng.randrange(3) for _ in range(5000)])
fixtures["small-alphabet-level3.zst"] = (small_ints, compress(small_ints, level=3))

# Several blocks with similar statistics: treeless literals and repeated sequence tables.
vocabulary = b"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda".split()
words = b" ".join(rng.choice(vocabulary) for _ in range(30000))
fixtures["words-level9.zst"] = (words, compress(words, level=9))
fixtures["words-level19.zst"] = (words, compress(words, level=19))

runs = b"\x00" * 300_000 + b"hello" + b"\xab" * 200_000 + bytes(range(256)) * 4 + b"\x07" * 1_000
fixtures["runs.zst"] = (runs, compress(runs, level=3))

manifest = []
for name, (original, frame) in sorted(fixtures.items()):
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(frame), read_across_frames=True)
    assert reader.read() == original, name
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(frame)
    manifest.append("%s %d %s" % (name, len(original), hashlib.md5(original).hexdigest()))
with open(os.path.join(HERE, "MANIFEST"), "w") as handle:
    handle.write("\n".join(manifest) + "\n")
