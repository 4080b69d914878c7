#!/usr/bin/env python3
# gen_tcp_input_corpus.py: writes the seed corpus of fuzz_tcp_input.c
# (corpus/tcp-input/), one file per situation worth starting from.
#
# The record layout is documented at the top of fuzz_tcp_input.c; keep the
# two in step.  The seeds are committed, so the replay test needs no
# Python; rerun this only after changing the layout:
#   python3 tests/fuzz/gen_tcp_input_corpus.py tests/fuzz/corpus/tcp-input

import os
import struct
import sys

# config bits
TS, SACK, WSCALE = 0x01, 0x02, 0x04
RCVBUF_2K, RCVBUF_16K, RCVBUF_64K, RCVBUF_256K = 0x00, 0x08, 0x10, 0x18
LINUX, NO_DELACK = 0x20, 0x40

# op
SEG, RAW_OFFSET, APP, WAIT = 0, 1, 2, 3
BAD_CSUM, OTHER_PORT, AUTO_TS, BIG_PAYLOAD = 0x04, 0x08, 0x10, 0x20

# TCP flags
FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20

# application calls (the flags byte of an APP record)
READ, WRITE, CLOSE, RELEASE, ABORT = 0, 1, 2, 3, 4


def rec(op, flags=ACK, seq=0, ack=0, win=65535, urp=0, wait=1, opts=b"",
        pay=0):
    """One record: seq and ack are offsets from what the host last said."""
    return struct.pack("<BBhhHHBBB", op, flags, seq, ack, win, urp, wait,
                       len(opts), pay) + opts


def app(call, arg=0, wait=1):
    return rec(APP, flags=call, win=arg, wait=wait)


def sack_block(left, right):
    # Absolute numbers are unknowable here; these only exercise parsing.
    return bytes([1, 1, 5, 10]) + struct.pack(">II", left, right)


SEEDS = {
    "handshake-only": bytes([TS | SACK | WSCALE | RCVBUF_64K]),
    "data-in-order": bytes([RCVBUF_16K])
    + rec(SEG, PSH | ACK, pay=100)
    + rec(SEG, PSH | ACK, pay=200)
    + app(READ, 150)
    + rec(SEG, FIN | ACK, wait=0x82),
    "out-of-order-sack": bytes([TS | SACK | RCVBUF_64K])
    + rec(SEG | AUTO_TS, PSH | ACK, seq=1000, pay=200)
    + rec(SEG | AUTO_TS, PSH | ACK, seq=500, pay=200)
    + rec(SEG | AUTO_TS, PSH | ACK, seq=0, pay=250)
    # The host's ACK has moved on by 250: seq 0 is the next gap.
    + rec(SEG | AUTO_TS, PSH | ACK, seq=0, pay=250)
    + app(READ, 4000),
    "send-and-sack": bytes([SACK | WSCALE | RCVBUF_64K | NO_DELACK])
    + app(WRITE, 8000)
    + rec(SEG, ACK, ack=-6540, opts=sack_block(0, 0))
    + rec(SEG, ACK, ack=-6540, wait=2)
    + rec(SEG, ACK, ack=-6540, wait=2)
    + rec(SEG, ACK, ack=-6540, wait=2)
    + rec(SEG, ACK, wait=0x8a),
    "zero-window-persist": bytes([RCVBUF_16K])
    + app(WRITE, 5000)
    + rec(SEG, ACK, ack=-3540, win=0)
    + rec(WAIT, wait=0x85)
    + rec(WAIT, wait=0x8f)
    + rec(SEG, ACK, win=1000)
    + rec(WAIT, wait=0xff),
    "rst-in-window": bytes([0])
    + rec(SEG, RST, seq=10)
    + rec(SEG, RST | ACK, seq=0),
    "syn-in-established": bytes([TS | LINUX])
    + rec(SEG | AUTO_TS, SYN, seq=-1)
    + rec(SEG | AUTO_TS, SYN | ACK, seq=5),
    "urgent": bytes([RCVBUF_16K])
    + rec(SEG, URG | PSH | ACK, urp=10, pay=50)
    + app(READ, 5),
    "active-close": bytes([TS | RCVBUF_16K])
    + app(CLOSE)
    + rec(SEG | AUTO_TS, ACK)
    + rec(SEG | AUTO_TS, FIN | ACK)
    + rec(WAIT, wait=0xff),
    "passive-close-release": bytes([0])
    + rec(SEG, PSH | ACK, pay=30)
    + rec(SEG, FIN | ACK)
    + app(RELEASE)
    + rec(SEG, PSH | ACK, pay=30)
    + rec(SEG, ACK, wait=5),
    "overflow-small-buffer": bytes([RCVBUF_2K])
    + rec(SEG | BIG_PAYLOAD, PSH | ACK, pay=100)
    + rec(SEG, PSH | ACK, seq=2000, pay=255)
    + app(READ, 1000)
    + rec(SEG | BIG_PAYLOAD, PSH | ACK, pay=20),
    "malformed-headers": bytes([TS | SACK | WSCALE])
    + rec(RAW_OFFSET, 0xf0 | ACK, opts=b"\x01\x01")
    + rec(RAW_OFFSET, 0x20 | ACK, pay=4)
    + rec(SEG | BAD_CSUM, PSH | ACK, pay=10)
    + rec(SEG, ACK, opts=b"\x02\x00\x05\xb4")
    + rec(SEG, ACK, opts=b"\x08\xff\x00\x00")
    + rec(SEG, ACK, opts=b"\x05\x03\x00\x00")
    + rec(SEG, ACK, opts=b"\x03\x03\x0e\x00")
    + rec(SEG, ACK, opts=b"\x01" * 40),
    "second-connection": bytes([SACK | WSCALE])
    + rec(SEG | OTHER_PORT, SYN, seq=-30000)
    + rec(SEG | OTHER_PORT, ACK, seq=-29999)
    + rec(SEG | OTHER_PORT, RST, seq=-29999)
    + app(ABORT)
    + rec(SEG, PSH | ACK, pay=10),
}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "corpus/tcp-input"
    os.makedirs(out_dir, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
