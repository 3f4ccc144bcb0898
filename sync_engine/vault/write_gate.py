"""What the membership log says of other devices' journal objects, for one pull (v2 vaults).

A v2 vault's journal objects (heads, segments, snapshots) name, in their clear
header, the membership log position their author had accepted when sealing,
and carry the author device's Ed25519 signature. For each one the pull asks
this gate, in order:

1. `ahead(position)`: the object names a log entry this device has not read
   (the store's log was read at the start of the pull): it is left for the
   next round, neither applied nor refused (docs/SYNC.md section 8).
2. `verify_key(device, position)`: the key that must verify its signature,
   from the device's certificate in the log at that position. None: the
   device was not in the log there; the object is refused (`unknown_author`
   says why, in authority's words: unknown or removed device).
3. `judge_*(...)`: once opened (signature checked, payload decrypted),
   whether its author had the right to write what it carries: core/authority.py's
   `may_apply`, the one rule table. A reason means refused, unless `pending`
   (the author saw a log entry or an epoch this device has not read yet).

The gate holds no I/O: the journal (journal.py) reads the store and the log,
then asks. Parsed certificates are cached by their bytes, so pulling 10,000
segments of three authors parses three certificates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from crypto.device import DeviceCertificate
from crypto.errors import CoffreCryptoError
from crypto.reason import Reason
from crypto.signing import HybridVerifyKey

from ..core.authority import (
    PENDING,
    AuthorityProblem,
    Content,
    content_of,
    may_apply,
    refusing_cut,
)
from ..core.model import Version
from .journal_codec import SegmentMeta

if TYPE_CHECKING:
    from ..core.membership import MembershipHistory


class WriteGate:
    """The log as read at the start of one pull: who could sign and write what, where."""

    def __init__(self, history: MembershipHistory) -> None:
        self.history = history
        self._keys: dict[bytes, HybridVerifyKey | None] = {}

    def ahead(self, position: int) -> bool:
        """The object names a log slot beyond those this device examined: next round."""
        return not self.history.knows(position)

    @staticmethod
    def pending(why: Reason) -> bool:
        """A verdict that waits for the log, not a refusal."""
        return why.kind in PENDING

    def verify_key(self, device_id: bytes, position: int) -> HybridVerifyKey | None:
        """The device's signing key from its certificate in the log at `position`."""
        device = self.history.at(position).devices.get(device_id)
        if device is None:
            return None
        if device.certificate not in self._keys:
            try:
                certificate = DeviceCertificate.from_bytes(device.certificate)
                self._keys[device.certificate] = certificate.device.signing
            except (CoffreCryptoError, ValueError):  # the log checked it: never expected
                self._keys[device.certificate] = None
        return self._keys[device.certificate]

    def unknown_author(self, device_id: bytes, seq: int, position: int, epoch: int) -> Reason:
        """Why an object of a device with no certificate at `position` is refused."""
        why = may_apply(self.history, device_id, seq, position, epoch, Content.STATUS, signed=True)
        return why or Reason.of(
            AuthorityProblem.UNKNOWN_DEVICE, device=device_id.hex(), seq=seq, position=position
        )

    def judge_segment(
        self,
        device_id: bytes,
        seq: int,
        *,
        position: int,
        epoch: int,
        signed: bool,
        versions: Sequence[Version],
        meta: SegmentMeta,
    ) -> Reason | None:
        """None if the author could write this segment at the position it names."""
        content = content_of(versions, meta)
        return may_apply(self.history, device_id, seq, position, epoch, content, signed=signed)

    def refusing_cut(self, device_id: bytes, seq: int) -> int | None:
        """Where a snapshot covering `device_id` up to `seq` may fold in segments a cut
        refuses (core/authority.py `refusing_cut`): they are judged one by one."""
        return refusing_cut(self.history, device_id, seq)

    def judge_snapshot(
        self, device_id: bytes, seq: int, *, position: int, epoch: int, signed: bool
    ) -> Reason | None:
        """Snapshots only from a device that could write CHANGES at the position it names."""
        return may_apply(
            self.history, device_id, seq, position, epoch, Content.CHANGES, signed=signed
        )
