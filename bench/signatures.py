"""Benchmark: the cost of sharing's signatures and key envelopes, to choose where hybrid fits.

Issue 11 asks for signatures "Ed25519, hybrid with ML-DSA-65 where the cost
measured in a benchmark allows (at least membership entries)". This measures,
on one core with `cryptography`'s implementations as Coffre calls them
(crypto/signing.py, crypto/envelope.py):

  sign / verify   Ed25519 alone, ML-DSA-65 alone, hybrid (both), over a 1 KiB message
  seal / open     a 32-byte key in an HPKE MLKEM768_X25519 envelope (crypto/envelope.py)
  keygen          an identity (Ed25519 + ML-DSA-65 + ML-KEM-768 + X25519 from seeds)
  sizes           public keys, signatures, envelope

and prints per-operation microseconds (median of R repetitions of N operations),
operations per second, and what verifying 10,000 signed segments would cost.

    python bench/signatures.py                 # N=200, R=5
    python bench/signatures.py -n 1000 -r 7 --json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey

from crypto.envelope import ENVELOPE_LEN, KemPrivateKey, open_key, seal_key
from crypto.identity import Identity
from crypto.signing import (
    ED25519_SIGNATURE_LEN,
    HYBRID_SIGNATURE_LEN,
    VERIFY_KEY_LEN,
    HybridSigningKey,
    signed_message,
)

MESSAGE = bytes(range(256)) * 4  # 1 KiB, about a membership entry or a small segment
CONTEXT = b"bench"


def per_op_us(op: Callable[[], object], n: int, repeats: int) -> float:
    """Median over `repeats` runs of the mean time of one call, in microseconds."""
    op()  # warm up
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            op()
        runs.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(runs)


def measure(n: int, repeats: int) -> dict[str, float]:
    hybrid = HybridSigningKey.generate()
    public = hybrid.public
    ed = Ed25519PrivateKey.from_private_bytes(hybrid.ed25519_seed)
    ml = MLDSA65PrivateKey.from_seed_bytes(hybrid.mldsa65_seed)
    data = signed_message(CONTEXT, MESSAGE)
    ed_sig, ml_sig = ed.sign(data), ml.sign(data)
    hybrid_sig = hybrid.sign(CONTEXT, MESSAGE)
    ed_pub, ml_pub = ed.public_key(), ml.public_key()
    kem = KemPrivateKey.generate()
    kem_public = kem.public
    vault, recipient = b"\x01" * 16, b"\x02" * 16

    def seal() -> bytes:
        return seal_key(kem_public, b"\x03" * 32, vault_id=vault, key_id=1, recipient_id=recipient)

    def unseal() -> bytes:
        return open_key(kem, envelope, vault_id=vault, key_id=1, recipient_id=recipient)

    envelope = seal()
    cases: dict[str, Callable[[], object]] = {
        "ed25519 sign": lambda: ed.sign(data),
        "ed25519 verify": lambda: ed_pub.verify(ed_sig, data),
        "ml-dsa-65 sign": lambda: ml.sign(data),
        "ml-dsa-65 verify": lambda: ml_pub.verify(ml_sig, data),
        "hybrid sign": lambda: hybrid.sign(CONTEXT, MESSAGE),
        "hybrid verify": lambda: public.verify(CONTEXT, MESSAGE, hybrid_sig, "bench"),
        "hpke seal (MLKEM768_X25519)": seal,
        "hpke open (MLKEM768_X25519)": unseal,
        "identity keygen": lambda: Identity.generate("Bench"),
    }
    slow = {"identity keygen", "hpke seal (MLKEM768_X25519)", "hpke open (MLKEM768_X25519)"}
    return {
        name: per_op_us(op, max(10, n // 4) if name in slow else n, repeats)
        for name, op in cases.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="operations per run")
    parser.add_argument("-r", type=int, default=5, help="runs (the median is kept)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = measure(args.n, args.r)
    sizes = {
        "ed25519 signature": ED25519_SIGNATURE_LEN,
        "hybrid signature": HYBRID_SIGNATURE_LEN,
        "hybrid public signing key": VERIFY_KEY_LEN,
        "envelope": ENVELOPE_LEN,
    }
    if args.json:
        print(json.dumps({"per_op_us": results, "bytes": sizes}, indent=2))
        return 0
    print(f"{'operation':34} {'µs/op':>10} {'ops/s':>10} {'10,000 ops':>11}")
    for name, us in results.items():
        print(f"{name:34} {us:10.1f} {1e6 / us:10.0f} {us * 10_000 / 1e6:10.2f}s")
    print()
    for name, size in sizes.items():
        print(f"{name:34} {size:>10,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
