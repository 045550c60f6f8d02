"""Seeds for the IDX target: image and label files, raw and gzipped, good and broken in
each way the reader must refuse (the harness also gzips every input itself)."""
import gzip
import struct


def idx(magic, dims, data):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + data


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def seeds():
    images = idx(0x803, [2, 3, 4], bytes(range(0, 240, 10)))
    labels = idx(0x801, [5], bytes([0, 1, 2, 3, 9]))
    return {
        "images": images,
        "labels": labels,
        "images.gz": gz(images),
        "labels.gz": gz(labels),
        "truncated": images[:-5],
        "header_only": images[:10],
        "trailing": labels + b"\x07",
        "wrong_magic": idx(0x802, [1, 1], b"\x00"),
        "zero_size_image": idx(0x803, [3, 0, 4], b""),
        "overflow": idx(0x803, [0xFFFFFFFF] * 3, b""),
        # A header that promises 60000 images of 65535x65535: far more than the file holds.
        "promises_terabytes": idx(0x803, [60000, 65535, 65535], b"\x00" * 16),
        "promises_gigabytes.gz": gz(idx(0x803, [1000, 1000, 1000], b"\x00" * 1000)),
        # Inflates to far more than its header's 10 bytes of data.
        "inflates_past_header.gz": gz(idx(0x801, [10], b"\x00" * 200000)),
        "cut.gz": gz(images)[:-12],
        "bad_crc.gz": gz(labels)[:-8] + b"\xde\xad\xbe\xef" + gz(labels)[-4:],
    }
