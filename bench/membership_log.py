"""Benchmark: what verifying a shared vault's membership log costs.

A device checks every entry of the log once when it first reads it, and again
when it starts (it replays the entries kept in its state.db, checking them
again). This builds a log of E entries signed with the real hybrid
signatures (a team of people, each adding their device; the rest role
changes and key rotations), then measures on one core:

  replay      the whole log from scratch (what a start or a fresh join costs)
  per entry   the same, divided by E
  append      drafting, signing and checking one more entry (no store)
  size        bytes of the log

    python bench/membership_log.py             # E = 100 and 1000
    python bench/membership_log.py -e 300 --json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crypto.device import DeviceKeys, certify_device
from crypto.identity import Identity, card_blob
from sync_engine.core.membership import Membership, apply_entry, draft, replay
from sync_engine.core.membership_entry import EntryKind, Role, encode_signed, join_entry
from sync_engine.vault.membership_log import ENTRY_CONTEXT, HybridChecker

VAULT = bytes(range(16))
NOW = 1_767_225_600_000


def build(entries: int) -> tuple[list[bytes], Membership, DeviceKeys]:
    checker = HybridChecker()
    owner, owner_device = Identity.generate("owner"), DeviceKeys.generate("owner laptop")
    state, log = Membership(VAULT), []

    def add(signer: DeviceKeys, kind: EntryKind, **fields: object) -> None:
        nonlocal state
        signed = encode_signed(draft(state, len(log), kind, signer.device_id, NOW, **fields))  # type: ignore[arg-type]
        data = join_entry(signed, signer.sign(ENTRY_CONTEXT, signed))
        state = apply_entry(state, len(log), data, checker)
        log.append(data)

    cert = certify_device(owner, owner_device.public, NOW).to_bytes()
    add(
        owner_device,
        EntryKind.CREATE,
        subject=owner.identity_id,
        device=owner_device.device_id,
        role=Role.OWNER,
        identity=card_blob(owner),
        certificate=cert,
    )
    people: list[Identity] = []
    while len(log) < entries:
        if len(people) < 20 and len(log) + 2 <= entries:
            person, device = Identity.generate(f"p{len(people)}"), DeviceKeys.generate("d")
            add(
                owner_device,
                EntryKind.ADD_MEMBER,
                subject=person.identity_id,
                role=Role.EDITOR,
                identity=card_blob(person),
            )
            add(
                device,
                EntryKind.ADD_DEVICE,
                subject=person.identity_id,
                device=device.device_id,
                certificate=certify_device(person, device.public, NOW).to_bytes(),
            )
            people.append(person)
        else:
            add(owner_device, EntryKind.ROTATE_KEY)
    return log, state, owner_device


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(entries: int, repeat: int) -> dict[str, float]:
    log, state, owner_device = build(entries)
    slots = list(enumerate(log))
    whole = median_seconds(lambda: replay(VAULT, slots, HybridChecker()), repeat)

    def one_more() -> None:
        signed = encode_signed(
            draft(state, len(log), EntryKind.ROTATE_KEY, owner_device.device_id, NOW)
        )
        data = join_entry(signed, owner_device.sign(ENTRY_CONTEXT, signed))
        apply_entry(state, len(log), data, HybridChecker())

    append = median_seconds(one_more, repeat)
    return {
        "entries": entries,
        "replay_ms": whole * 1e3,
        "per_entry_us": whole / entries * 1e6,
        "append_ms": append * 1e3,
        "log_bytes": sum(len(e) for e in log),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-e", "--entries", type=int, action="append")
    parser.add_argument("-r", "--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(e, args.repeat) for e in (args.entries or [100, 1000])]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'entries':>8} {'replay ms':>10} {'per entry µs':>13} {'append ms':>10} {'log KiB':>8}")
    for r in rows:
        print(
            f"{r['entries']:>8} {r['replay_ms']:>10.1f} {r['per_entry_us']:>13.0f} "
            f"{r['append_ms']:>10.2f} {r['log_bytes'] / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()
