"""People, devices and a log writer for the membership tests.

Two sets of keys with one interface (`Keys`). `HybridKeys` is the real thing:
crypto/'s identities, device certificates and hybrid Ed25519 + ML-DSA-65
signatures, checked by `sync_engine.vault.membership_log.HybridChecker`.
`SealedKeys` replaces the signatures by SHA-256 seals so that the random-log
properties can replay thousands of entries quickly; the table tests run with
both, so the seals never stand in for a check the real keys would not make.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Protocol

from sync_engine.core.membership import (
    FIRST_EPOCH,
    RULES,
    ZERO_HASH,
    CertifiedDevice,
    CutRule,
    EntryChecker,
    Epoch,
    Person,
)
from sync_engine.core.membership_entry import (
    NO_ID,
    Cut,
    EntryKind,
    MemberEntry,
    Role,
    encode_signed,
    join_entry,
)

VAULT = bytes.fromhex("5a" * 16)
AT_MS = 1_767_225_600_000


@dataclass(frozen=True)
class PersonKeys:
    name: str
    identity_id: bytes
    identity: bytes  # the public identity's bytes, as entries carry them
    secret: object = None  # what certifies devices (the test seal or a crypto Identity)


@dataclass(frozen=True)
class DeviceKeys:
    owner: PersonKeys
    device_id: bytes
    name: str
    certificate: bytes
    secret: object = None  # what signs entries


class Keys(Protocol):
    checker: EntryChecker

    def person(self, name: str) -> PersonKeys: ...

    def device(self, person: PersonKeys, name: str) -> DeviceKeys: ...

    def sign(self, device: DeviceKeys, message: bytes) -> bytes: ...


def _h(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


class SealedChecker:
    """Identity = b"P" | id | name; certificate = b"C" | identity id | device id | seal | name."""

    def digest(self, data: bytes) -> bytes:
        return _h(data)

    def person(self, identity: bytes) -> Person | None:
        if len(identity) < 17 or identity[:1] != b"P":
            return None
        return Person(identity[1:17], identity[17:].decode())

    def certified(self, identity: bytes, certificate: bytes) -> CertifiedDevice | None:
        person = self.person(identity)
        if person is None or len(certificate) < 41 or certificate[:1] != b"C":
            return None
        owner, device, seal, name = (
            certificate[1:17],
            certificate[17:33],
            certificate[33:41],
            certificate[41:],
        )
        if owner != person.identity_id or seal != _h(b"cert", identity, device, name)[:8]:
            return None
        return CertifiedDevice(device, owner, name.decode())

    def signed_by(self, certificate: bytes, message: bytes, signature: bytes) -> bool:
        return signature == _h(b"sig", certificate, message)


class SealedKeys:
    def __init__(self) -> None:
        self.checker = SealedChecker()
        self._n = 0

    def _id(self) -> bytes:
        self._n += 1
        return _h(b"id", self._n.to_bytes(4, "big"))[:16]

    def person(self, name: str) -> PersonKeys:
        pid = self._id()
        return PersonKeys(name, pid, b"P" + pid + name.encode())

    def device(self, person: PersonKeys, name: str) -> DeviceKeys:
        did = self._id()
        seal = _h(b"cert", person.identity, did, name.encode())[:8]
        cert = b"C" + person.identity_id + did + seal + name.encode()
        return DeviceKeys(person, did, name, cert)

    def sign(self, device: DeviceKeys, message: bytes) -> bytes:
        return _h(b"sig", device.certificate, message)


class HybridKeys:
    """Real identities, devices and hybrid signatures (crypto/)."""

    def __init__(self) -> None:
        from sync_engine.vault.membership_log import HybridChecker

        self.checker = HybridChecker()

    def person(self, name: str) -> PersonKeys:
        from crypto.identity import Identity, card_blob

        identity = Identity.generate(name)
        return PersonKeys(name, identity.identity_id, card_blob(identity), identity)

    def device(self, person: PersonKeys, name: str) -> DeviceKeys:
        from crypto.device import DeviceKeys as RealDevice
        from crypto.device import certify_device

        real = RealDevice.generate(name)
        cert = certify_device(person.secret, real.public, AT_MS)  # type: ignore[arg-type]
        return DeviceKeys(person, real.device_id, name, cert.to_bytes(), real)

    def sign(self, device: DeviceKeys, message: bytes) -> bytes:
        from sync_engine.vault.membership_log import ENTRY_CONTEXT

        return device.secret.sign(ENTRY_CONTEXT, message)  # type: ignore[attr-defined, no-any-return]


class LogWriter:
    """Makes entries the way an honest device would, tracking slot, head and epoch itself.

    `make` returns an entry's bytes without recording it (for refused ones);
    `append` records it as the new head. Any field can be overridden. A removal
    or role change carries the cut an honest owner writes: each device the
    entry is about, with the seq `accepted` holds for it (0 if none).
    """

    def __init__(self, keys: Keys, vault_id: bytes = VAULT) -> None:
        self.keys, self.vault_id = keys, vault_id
        self.entries: list[bytes] = []
        self.head, self.epoch = ZERO_HASH, 0
        self.devices: dict[bytes, set[bytes]] = {}  # person -> current devices
        self.accepted: dict[bytes, int] = {}  # device -> newest seq the owner accepted

    def _cut(self, kind: EntryKind, subject: bytes, device: bytes) -> Cut:
        rule = RULES[kind].cut
        if rule is CutRule.SUBJECTS:
            devices = self.devices.get(subject, set())
        elif rule is CutRule.DEVICE:
            devices = {device}
        else:
            return ()
        return tuple(sorted((d, self.accepted.get(d, 0)) for d in devices))

    def make(
        self,
        kind: EntryKind,
        signer: DeviceKeys,
        *,
        subject: PersonKeys | None = None,
        device: DeviceKeys | None = None,
        role: Role | None = None,
        with_identity: bool = False,
        with_certificate: bool = False,
        **override: object,
    ) -> bytes:
        rule = RULES[kind]
        epoch = {
            Epoch.START: FIRST_EPOCH,
            Epoch.SAME: self.epoch,
            Epoch.NEXT: self.epoch + 1,
        }[rule.epoch]
        entry = MemberEntry(
            kind=kind,
            vault_id=self.vault_id,
            position=len(self.entries),
            previous=self.head,
            epoch=epoch,
            at_ms=AT_MS + len(self.entries),
            signer=signer.device_id,
            subject=subject.identity_id if subject else NO_ID,
            device=device.device_id if device else NO_ID,
            role=role,
            identity=subject.identity if (subject and with_identity) else b"",
            certificate=device.certificate if (device and with_certificate) else b"",
        )
        entry = replace(entry, cut=self._cut(kind, entry.subject, entry.device))
        entry = replace(entry, **override)  # type: ignore[arg-type]
        signed = encode_signed(entry)
        return join_entry(signed, self.keys.sign(signer, signed))

    def occupy(self, data: bytes) -> None:
        """Put an entry in the next slot that honest devices refuse: head and epoch stay."""
        self.entries.append(data)

    def append(self, data: bytes) -> bytes:
        from sync_engine.core.membership_entry import decode_entry

        self.entries.append(data)
        self.head = self.keys.checker.digest(data)
        e = decode_entry(data).entry
        self.epoch = e.epoch
        if e.kind in (EntryKind.CREATE, EntryKind.ADD_DEVICE):
            self.devices.setdefault(e.subject, set()).add(e.device)
        elif e.kind is EntryKind.REMOVE_DEVICE:
            self.devices[e.subject].discard(e.device)
        elif e.kind is EntryKind.REMOVE_MEMBER:
            self.devices.pop(e.subject, None)
        return data

    # the honest entries, by kind

    def create(self, owner: DeviceKeys) -> bytes:
        return self.append(
            self.make(
                EntryKind.CREATE,
                owner,
                subject=owner.owner,
                device=owner,
                role=Role.OWNER,
                with_identity=True,
                with_certificate=True,
            )
        )

    def add_member(self, signer: DeviceKeys, person: PersonKeys, role: Role) -> bytes:
        return self.append(
            self.make(EntryKind.ADD_MEMBER, signer, subject=person, role=role, with_identity=True)
        )

    def remove_member(self, signer: DeviceKeys, person: PersonKeys) -> bytes:
        return self.append(self.make(EntryKind.REMOVE_MEMBER, signer, subject=person))

    def change_role(self, signer: DeviceKeys, person: PersonKeys, role: Role) -> bytes:
        return self.append(self.make(EntryKind.CHANGE_ROLE, signer, subject=person, role=role))

    def add_device(self, signer: DeviceKeys, device: DeviceKeys) -> bytes:
        return self.append(
            self.make(
                EntryKind.ADD_DEVICE,
                signer,
                subject=device.owner,
                device=device,
                with_certificate=True,
            )
        )

    def remove_device(self, signer: DeviceKeys, device: DeviceKeys) -> bytes:
        return self.append(
            self.make(EntryKind.REMOVE_DEVICE, signer, subject=device.owner, device=device)
        )

    def rotate_key(self, signer: DeviceKeys) -> bytes:
        return self.append(self.make(EntryKind.ROTATE_KEY, signer))

    def served(self) -> dict[int, bytes]:
        return dict(enumerate(self.entries))
