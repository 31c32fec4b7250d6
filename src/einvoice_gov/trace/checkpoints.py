"""Signed checkpoints (C2SP ``tlog-checkpoint`` signed notes, Ed25519) and the signing key.

A checkpoint note is::

    <origin>\\n<tree size>\\n<base64 Merkle root>\\n[extension lines]\\n
    \\n
    — <key name> <base64(key id ‖ Ed25519 signature)>\\n

with ``key id = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]`` (C2SP ``signed-note``). Our
extension line ``time <RFC 3339>`` says when it was signed (informational).

The private key lives in a PEM file **outside the database** (PKCS#8, encrypted when
``EINVOICE_TRACE_KEY_PASSPHRASE`` is set, mode 0600). Beside it: ``<stem>.pub`` (the C2SP
verifier key ``name+keyid+base64(0x01 ‖ pub)``) and ``<stem>.checkpoints`` (JSON lines, every
checkpoint signed with the key, fsync'ed): copies of the signed heads that a database edit
cannot reach.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from einvoice_gov.errors import IntegrityError, StoreError

__all__ = [
    "PASSPHRASE_ENV",
    "Checkpoint",
    "CheckpointError",
    "PublicKey",
    "SigningKey",
    "append_pinned",
    "parse_note",
    "pinned_path",
    "public_key_path",
    "read_pinned",
    "read_pinned_timestamps",
    "sign_checkpoint",
]

PASSPHRASE_ENV: Final = "EINVOICE_TRACE_KEY_PASSPHRASE"
_SIG_PREFIX: Final = "\u2014 "  # em dash + space, as in C2SP signed notes
_ED25519: Final = b"\x01"


class CheckpointError(ValueError):
    """A checkpoint note is malformed or its signature does not verify."""


def key_id(name: str, public: bytes) -> bytes:
    """C2SP signed-note key id of an Ed25519 key."""
    return sha256(name.encode() + b"\n" + _ED25519 + public).digest()[:4]


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 verifier key with its C2SP name."""

    name: str
    raw: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.raw)

    def vkey(self) -> str:
        """C2SP verifier key string ``name+hexid+base64(0x01 ‖ key)``."""
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(_ED25519 + self.raw).decode()}"

    @classmethod
    def from_vkey(cls, text: str) -> PublicKey:
        try:
            name, hexid, b64 = text.strip().split("+", 2)
            blob = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise CheckpointError(f"not a verifier key: {text[:80]!r}") from exc
        if blob[:1] != _ED25519 or len(blob) != 33:
            raise CheckpointError("only Ed25519 verifier keys are supported")
        key = cls(name, blob[1:])
        if key.key_id.hex() != hexid:
            raise CheckpointError("verifier key id does not match the key")
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint note."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...]
    note: str
    #: (key name, key id, signature) of every signature line
    signatures: tuple[tuple[str, bytes, bytes], ...] = field(default=())

    @property
    def body(self) -> str:
        """The signed text (everything before the blank line)."""
        return self.note.split("\n\n", 1)[0] + "\n"

    @property
    def time(self) -> str | None:
        for line in self.extensions:
            if line.startswith("time "):
                return line[5:]
        return None

    def verified_by(self, key: PublicKey) -> bool:
        """True when a signature line of ``key`` verifies (other keys' lines are ignored)."""
        for name, kid, sig in self.signatures:
            if name == key.name and kid == key.key_id:
                return key.verify(self.body.encode(), sig)
        return False


def parse_note(note: str) -> Checkpoint:
    """Parse a checkpoint note; raises `CheckpointError` when it is malformed."""
    if "\n\n" not in note or not note.endswith("\n"):
        raise CheckpointError("a signed note is text, a blank line, then signature lines")
    text, sigs = note.split("\n\n", 1)
    lines = text.split("\n")
    if len(lines) < 3:
        raise CheckpointError("a checkpoint has an origin, a size and a root hash line")
    origin, size_s, root_b64, *ext = lines
    if not size_s.isdigit() or (size_s != "0" and size_s.startswith("0")):
        raise CheckpointError(f"bad tree size {size_s!r}")
    try:
        root = base64.b64decode(root_b64, validate=True)
    except ValueError as exc:
        raise CheckpointError("bad root hash encoding") from exc
    if len(root) != 32:
        raise CheckpointError("the root hash must be 32 bytes")
    signatures = []
    for line in sigs.rstrip("\n").split("\n"):
        if not line.startswith(_SIG_PREFIX):
            raise CheckpointError(f"bad signature line {line[:60]!r}")
        try:
            name, b64 = line[len(_SIG_PREFIX) :].split(" ")
            blob = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise CheckpointError(f"bad signature line {line[:60]!r}") from exc
        if len(blob) < 5:
            raise CheckpointError("signature too short")
        signatures.append((name, blob[:4], blob[4:]))
    if not signatures:
        raise CheckpointError("the note carries no signature")
    return Checkpoint(origin, int(size_s), root, tuple(ext), note, tuple(signatures))


class SigningKey:
    """The log's Ed25519 signing key, loaded from (or created in) a PEM file."""

    def __init__(self, private: Ed25519PrivateKey, name: str, path: Path | None = None) -> None:
        self._private = private
        self.path = path
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public = PublicKey(name, raw)

    @property
    def name(self) -> str:
        return self.public.name

    @classmethod
    def load(cls, path: str | Path, name: str) -> SigningKey:
        """Load the key at ``path``; raises `StoreError` when missing or unreadable."""
        path = Path(path)
        passphrase = os.environ.get(PASSPHRASE_ENV)
        try:
            data = path.read_bytes()
            key = serialization.load_pem_private_key(
                data, password=passphrase.encode() if passphrase else None
            )
        except FileNotFoundError as exc:
            raise StoreError(f"no signing key at {path}") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"cannot read the signing key {path}: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise StoreError(f"{path} is not an Ed25519 private key")
        return cls(key, name, path)

    @classmethod
    def create(cls, path: str | Path, name: str) -> SigningKey:
        """Create a new key file (0600, never overwriting) and its ``.pub`` beside it."""
        path = Path(path)
        private = Ed25519PrivateKey.generate()
        passphrase = os.environ.get(PASSPHRASE_ENV)
        enc: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls.load(path, name)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        key = cls(private, name, path)
        public_key_path(path).write_text(key.public.vkey() + "\n", encoding="ascii")
        _fsync_dir(path.parent)
        return key

    @classmethod
    def load_or_create(cls, path: str | Path, name: str) -> SigningKey:
        path = Path(path)
        if path.exists():
            return cls.load(path, name)
        return cls.create(path, name)

    def sign(self, text: str) -> str:
        """The signature line for a note text."""
        sig = self._private.sign(text.encode())
        blob = base64.b64encode(self.public.key_id + sig).decode()
        return f"{_SIG_PREFIX}{self.name} {blob}\n"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sign_checkpoint(
    key: SigningKey, origin: str, size: int, root: bytes, extensions: Sequence[str] = ()
) -> Checkpoint:
    """Sign ``(origin, size, root)``; the caller proves consistency first (see ledger)."""
    for line in extensions:
        if not line or "\n" in line:
            raise CheckpointError("extension lines are single non-empty lines")
    text = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    text += "".join(f"{line}\n" for line in extensions)
    return parse_note(text + "\n" + key.sign(text))


def public_key_path(key_path: str | Path) -> Path:
    return Path(key_path).with_suffix(".pub")


def pinned_path(key_path: str | Path) -> Path:
    return Path(key_path).with_suffix(".checkpoints")


def load_public_key(key_path: str | Path, name: str) -> PublicKey | None:
    """The verifier key from ``<stem>.pub`` (preferred) or the private key, if available."""
    pub = public_key_path(key_path)
    if pub.exists():
        key = PublicKey.from_vkey(pub.read_text(encoding="ascii"))
        return key
    if Path(key_path).exists():
        try:
            return SigningKey.load(key_path, name).public
        except StoreError:
            return None
    return None


def append_pinned(key_path: str | Path, cp: Checkpoint, timestamp: bytes | None = None) -> None:
    """Append a signed checkpoint to ``<stem>.checkpoints`` and fsync it.

    With ``timestamp`` (an RFC 3161 token over the note, DER), the line also carries it as
    ``"timestamp"`` (base64); readers that do not know the key still read the checkpoint.
    """
    path = pinned_path(key_path)
    obj: dict[str, Any] = {"size": cp.size, "root": cp.root.hex(), "note": cp.note}
    if timestamp is not None:
        obj["timestamp"] = base64.b64encode(timestamp).decode("ascii")
    line = json.dumps(obj) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_pinned_timestamps(path: str | Path) -> list[tuple[Checkpoint, bytes]]:
    """The timestamp tokens of a pinned file, each with the checkpoint of its line."""
    out: list[tuple[Checkpoint, bytes]] = []
    p = Path(path)
    if not p.exists():
        return out
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if '"timestamp"' not in line:
            continue
        try:
            obj: Any = json.loads(line)
            if "timestamp" in obj:
                out.append(
                    (parse_note(obj["note"]), base64.b64decode(obj["timestamp"], validate=True))
                )
        except (ValueError, KeyError, TypeError) as exc:
            raise IntegrityError(f"{p}:{n}: unreadable pinned timestamp: {exc}") from exc
    return out


def read_pinned(path: str | Path) -> list[Checkpoint]:
    """Checkpoints from a pinned file (JSON lines ``{"note"}`` or bare notes separated by
    blank-line-free blocks); raises `IntegrityError` when a line is unreadable."""
    out: list[Checkpoint] = []
    p = Path(path)
    if not p.exists():
        return out
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj: Any = json.loads(line)
            out.append(parse_note(obj["note"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise IntegrityError(f"{p}:{n}: unreadable pinned checkpoint: {exc}") from exc
    return out
