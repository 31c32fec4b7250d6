#!/usr/bin/env python3
"""Standalone verifier of an einvoice-gov audit bundle (one invoice's trail).

Usage::

    python verify_bundle.py BUNDLE.zip [--key VERIFIER_KEY|FILE] [--checkpoint NOTE_FILE]...
                                       [--tsa-cert TSA_CERT] [--json]

Needs only Python 3.11+ and the ``cryptography`` package; it reads nothing but the bundle and
the files named on the command line (no database, no network, no einvoice-gov import). It is
a second, independent implementation of the checks, so that an auditor need not trust the
software that wrote the log.

Checks: (1) the checkpoint note is signed by the key (the one given with --key, else the one
in the bundle, which proves only self-consistency); (2) each entry's leaf hash
``SHA-256(0x00 || entry)`` equals its recorded hash and its RFC 9162 inclusion proof leads to
the signed root at its position; (3) each entry is RFC 8785 canonical JSON, belongs to this
log and invoice, and the entries link to one another through ``inv_prev`` from the invoice's
first entry on; (4) every earlier checkpoint in the bundle, and every one given with
--checkpoint, is consistent with the signed checkpoint (RFC 9162 consistency proof); (5) the
enclosed files hash to their names; (6) each RFC 3161 timestamp token in the bundle covers one
of its signed checkpoints (the SHA-256 of the note, the CMS message digest) and, with
--tsa-cert (the timestamp authority's certificate, PEM or DER), carries that authority's
signature, binds its certificate and falls within its validity: the checkpoint existed at the
token's time. Lifecycle remarks (a payment before the deposit, a status after a refusal) are
printed as warnings.

Exit status: 0 verified, 1 verification failed, 2 unreadable bundle or bad usage.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import sys
import zipfile
from typing import Any

FORMAT = "einvoice-gov-trace-bundle/1"
SIG_PREFIX = "\u2014 "


# -- RFC 8785 (JCS), independent of the writer's implementation -------------------------------


def _jcs_number(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        raise ValueError("NaN/Infinity")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    m, _, e = repr(abs(x)).partition("e")
    ip, _, fp = m.partition(".")
    digits = ip + fp
    stripped = digits.lstrip("0")
    n = len(ip) + (int(e) if e else 0) - (len(digits) - len(stripped))
    d = stripped.rstrip("0")
    k = len(d)
    if k <= n <= 21:
        s = d + "0" * (n - k)
    elif 0 < n <= 21:
        s = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + d
    else:
        x_ = n - 1
        s = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if x_ >= 0 else "-") + str(abs(x_))
    return sign + s


def _jcs_string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20:
            out.append({8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}.get(o, f"\\u{o:04x}"))
        elif 0xD800 <= o <= 0xDFFF:
            raise ValueError("lone surrogate")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jcs(value: Any) -> str:
    """RFC 8785 canonical text of a parsed JSON value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _jcs_string(value)
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:
            raise ValueError("integer outside I-JSON range")
        return str(value)
    if isinstance(value, float):
        return _jcs_number(value)
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(_jcs_string(k) + ":" + jcs(value[k]) for k in keys) + "}"
    raise ValueError(f"not JSON: {type(value).__name__}")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"duplicate member {k!r}")
        d[k] = v
    return d


# -- RFC 9162 ------------------------------------------------------------------------------------


def _node(a: bytes, b: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + a + b).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0 or len(p) != 32:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m: int, n: int, root_m: bytes, root_n: bytes, proof: list[bytes]) -> bool:
    if m <= 0 or m > n:
        return False
    if m == n:
        return not proof and root_m == root_n
    if not proof or any(len(p) != 32 for p in proof):
        return False
    path = ([root_m] if m & (m - 1) == 0 else []) + list(proof)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _node(c, fr)
            sr = _node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root_m and sr == root_n and sn == 0


# -- C2SP signed notes (checkpoints) -------------------------------------------------------------


class Key:
    def __init__(self, vkey: str) -> None:
        name, hexid, b64 = vkey.strip().split("+", 2)
        blob = base64.b64decode(b64, validate=True)
        if blob[:1] != b"\x01" or len(blob) != 33:
            raise ValueError("not an Ed25519 verifier key")
        self.name, self.raw = name, blob[1:]
        self.key_id = hashlib.sha256(name.encode() + b"\n\x01" + self.raw).digest()[:4]
        if self.key_id.hex() != hexid:
            raise ValueError("verifier key id does not match its key")

    def verifies(self, text: bytes, sig: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(sig, text)
        except (InvalidSignature, ValueError):
            return False
        return True


def parse_checkpoint(note: str, key: Key) -> tuple[str, int, bytes]:
    """(origin, size, root) of a note whose signature by ``key`` verifies; else ValueError."""
    text, sep, sigs = note.partition("\n\n")
    if not sep or not note.endswith("\n"):
        raise ValueError("not a signed note")
    lines = text.split("\n")
    if len(lines) < 3 or not lines[1].isdigit():
        raise ValueError("not a checkpoint")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        raise ValueError("bad root hash")
    for line in sigs.rstrip("\n").split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise ValueError("bad signature line")
        name, b64 = line[len(SIG_PREFIX) :].split(" ")
        blob = base64.b64decode(b64, validate=True)
        if name == key.name and blob[:4] == key.key_id:
            if key.verifies((text + "\n").encode(), blob[4:]):
                return lines[0], int(lines[1]), root
            raise ValueError("the signature does not verify")
    raise ValueError(f"no signature by key {key.name}")


# -- RFC 3161 timestamp tokens (a small DER reader, CMS SignedData, written for this script) --

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_ESS_V1 = "1.2.840.113549.1.9.16.2.12"
OID_ESS_V2 = "1.2.840.113549.1.9.16.2.47"
HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
SIG_HASH = {  # signature algorithm -> hash (None: the signer's digest algorithm)
    "1.2.840.113549.1.1.1": None,
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.2.840.10045.2.1": None,
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
    "1.3.101.112": None,
}


def der_items(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """The (tag, content, whole encoding) of each element in ``data`` (definite lengths)."""
    out, i = [], 0
    while i < len(data):
        tag, n, j = data[i], data[i + 1], i + 2
        if tag & 0x1F == 0x1F or n == 0x80:
            raise ValueError("not DER")
        if n & 0x80:
            k = n & 0x7F
            n, j = int.from_bytes(data[j : j + k], "big"), j + k
        if j + n > len(data):
            raise ValueError("truncated DER")
        out.append((tag, data[j : j + n], data[i : j + n]))
        i = j + n
    return out


def der_oid(content: bytes) -> str:
    arcs, n = [], 0
    for b in content:
        n = n << 7 | (b & 0x7F)
        if not b & 0x80:
            arcs.append(n)
            n = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(map(str, [first, arcs[0] - 40 * first, *arcs[1:]]))


def _seq(tlv: tuple[int, bytes, bytes], tag: int = 0x30) -> list[tuple[int, bytes, bytes]]:
    if tlv[0] != tag:
        raise ValueError(f"expected DER tag {tag:#x}, found {tlv[0]:#x}")
    return der_items(tlv[1])


def check_timestamp(token: bytes, note: bytes, cert: Any | None) -> str:
    """The token's genTime once it is checked against the note (and the TSA certificate)."""
    from datetime import UTC, datetime

    (ci,) = der_items(token)
    ct, content = _seq(ci)
    if der_oid(ct[1]) != OID_SIGNED_DATA:
        raise ValueError("not a CMS SignedData")
    sd = _seq(_seq(content, 0xA0)[0])
    encap = _seq(sd[2])
    if der_oid(encap[0][1]) != OID_TST_INFO:
        raise ValueError("the signed content is not a TSTInfo")
    tst = _seq(encap[1], 0xA0)[0]
    if tst[0] != 0x04:
        raise ValueError("the TSTInfo is not an OCTET STRING")
    tst_der = tst[1]
    info = _seq(der_items(tst_der)[0])
    imprint = _seq(info[2])
    alg = der_oid(_seq(imprint[0])[0][1])
    if alg not in HASHES or hashlib.new(HASHES[alg], note).digest() != imprint[1][1]:
        raise ValueError("the token timestamps other bytes (message imprint)")
    gen = info[4][1].decode("ascii")
    when = datetime.strptime(gen.split(".")[0].rstrip("Z"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    signers = _seq(sd[-1], 0x31)
    if len(signers) != 1:
        raise ValueError("a timestamp token carries exactly one signature")
    si = _seq(signers[0])
    digest = HASHES.get(der_oid(_seq(si[2])[0][1]))
    if digest is None or si[3][0] != 0xA0:
        raise ValueError("unsupported digest or no signed attributes")
    attrs = {}
    for a in der_items(si[3][1]):
        oid_, values = _seq(a)
        attrs[der_oid(oid_[1])] = der_items(values[1])
    if der_oid(attrs.get(OID_CONTENT_TYPE, [(0, b"", b"")])[0][1]) != OID_TST_INFO:
        raise ValueError("the signed content type is not TSTInfo")
    if (
        attrs.get(OID_MESSAGE_DIGEST, [(0, b"", b"")])[0][1]
        != hashlib.new(digest, tst_der).digest()
    ):
        raise ValueError("the signed digest does not match the TSTInfo")
    if cert is None:
        return gen
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.hazmat.primitives.serialization import Encoding

    cert_der = cert.public_bytes(Encoding.DER)
    if OID_ESS_V2 in attrs:
        ess = der_items(_seq(_seq(attrs[OID_ESS_V2][0])[0])[0][1])
        h = "sha256"
        if ess[0][0] == 0x30:
            h = HASHES.get(der_oid(_seq(ess[0])[0][1]), "?")
            ess = ess[1:]
        bound = h in hashlib.algorithms_available and hashlib.new(h, cert_der).digest() == ess[0][1]
    elif OID_ESS_V1 in attrs:
        ess = der_items(_seq(_seq(attrs[OID_ESS_V1][0])[0])[0][1])
        bound = hashlib.sha1(cert_der, usedforsecurity=False).digest() == ess[0][1]
    else:
        bound = False
    if not bound:
        raise ValueError("the token does not bind this TSA certificate (signingCertificate)")
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    if not eku.critical or [u.dotted_string for u in eku.value] != ["1.3.6.1.5.5.7.3.8"]:
        raise ValueError("the certificate is not a timestamp authority's (timeStamping EKU)")
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        raise ValueError("genTime is outside the TSA certificate's validity")
    sig_alg = der_oid(_seq(si[4])[0][1])
    if sig_alg not in SIG_HASH:
        raise ValueError(f"unsupported signature algorithm {sig_alg}")
    h = getattr(hashes, (SIG_HASH[sig_alg] or digest).upper())()
    signed, sig, key = b"\x31" + si[3][2][1:], si[5][1], cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key.verify(sig, signed, padding.PKCS1v15(), h)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(sig, signed, ec.ECDSA(h))
    elif isinstance(key, ed25519.Ed25519PublicKey):
        key.verify(sig, signed)
    else:
        raise ValueError("unsupported TSA key type")
    return gen


# -- the checks ----------------------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.facts: list[str] = []

    def fail(self, msg: str) -> None:
        self.errors.append(msg)


def check_bundle(
    path: str,
    key_text: str | None = None,
    pinned: list[str] | None = None,
    tsa_cert: Any | None = None,
) -> tuple[Report, dict[str, Any]]:
    rep = Report()
    with zipfile.ZipFile(path) as z:
        doc = json.loads(z.read("bundle.json").decode("utf-8"))
        members = set(z.namelist())
        if doc.get("format") != FORMAT:
            raise ValueError(f"unknown bundle format {doc.get('format')!r}")
        if key_text:
            key = Key(key_text)
        else:
            key = Key(doc["public_key"])
            rep.warnings.append(
                "no --key given: the key inside the bundle was used; this proves the bundle is "
                "self-consistent, not that it comes from the expected log owner"
            )
        rep.facts.append(f"key {key.name} (id {key.key_id.hex()})")
        try:
            origin, size, root = parse_checkpoint(doc["checkpoint"], key)
        except ValueError as exc:
            rep.fail(f"the bundle's checkpoint: {exc}")
            return rep, doc
        if origin != doc.get("origin"):
            rep.fail(f"the checkpoint names log {origin!r}, the bundle {doc.get('origin')!r}")
        rep.facts.append(f"checkpoint: {size} entries, root {root.hex()}")
        invoice = doc["invoice"]

        entries = sorted(doc["entries"], key=lambda e: e["seq"])
        prev_hash: str | None = None
        statuses: list[tuple[int, str]] = []
        refs: dict[str, str] = {}
        for i, item in enumerate(entries):
            seq = item["seq"]
            raw = item["entry"].encode("utf-8")
            leaf = hashlib.sha256(b"\x00" + raw).digest()
            where = f"entry {seq}"
            if leaf.hex() != item["hash"]:
                rep.fail(f"{where}: its bytes do not hash to the recorded hash")
            proof = [bytes.fromhex(h) for h in item["inclusion"]]
            if not verify_inclusion(seq, size, leaf, proof, root):
                rep.fail(f"{where}: not included at position {seq} in the signed checkpoint")
            try:
                e = json.loads(raw, object_pairs_hook=_no_duplicates)
                canonical = jcs(e).encode("utf-8") == raw
            except ValueError as exc:
                rep.fail(f"{where}: unreadable entry ({exc})")
                continue
            if not canonical:
                rep.fail(f"{where}: not in RFC 8785 canonical form")
            if e.get("seq") != seq or e.get("log") != origin or e.get("v") != 1:
                rep.fail(f"{where}: seq, log or version do not match its position and log")
            if e.get("invoice") != invoice:
                rep.fail(f"{where}: belongs to invoice {e.get('invoice')!r}, not {invoice!r}")
            expected_prev = None if i == 0 else prev_hash
            if e.get("inv_prev") != expected_prev:
                rep.fail(
                    f"{where}: does not link to the previous entry of the invoice"
                    if i
                    else f"{where}: is not the invoice's first entry (an earlier one is missing)"
                )
            prev_hash = leaf.hex()
            data = e.get("data") or {}
            if e.get("type") == "status":
                statuses.append((seq, str(data.get("code"))))
            for name in ("sha256", "object", "source_sha256"):
                if isinstance(data.get(name), str):
                    refs[data[name]] = f"{where} {name}"

        for item in doc.get("consistency", []):
            try:
                o2, m, root_m = parse_checkpoint(item["checkpoint"], key)
            except ValueError as exc:
                rep.fail(f"earlier checkpoint: {exc}")
                continue
            proof = [bytes.fromhex(h) for h in item["proof"]]
            if o2 != origin or not verify_consistency(m, size, root_m, root, proof):
                rep.fail(f"earlier checkpoint of size {m} is not consistent with size {size}")
            else:
                rep.facts.append(f"consistent with the earlier checkpoint of size {m}")

        proofs = {
            parse_checkpoint(it["checkpoint"], key)[1]: it for it in doc.get("consistency", [])
        }
        for note_path in pinned or []:
            with open(note_path, encoding="utf-8") as f:
                note = f.read()
            try:
                o2, m, root_m = parse_checkpoint(note, key)
            except ValueError as exc:
                rep.fail(f"{note_path}: {exc}")
                continue
            if o2 != origin:
                rep.fail(f"{note_path}: a checkpoint of another log ({o2})")
            elif m == size:
                if root_m != root:
                    rep.fail(f"{note_path}: same size {m}, different root: the log was forked")
                else:
                    rep.facts.append(f"{note_path}: identical to the bundle's checkpoint")
            elif m > size:
                rep.warnings.append(
                    f"{note_path}: newer than the bundle ({m} > {size}); ask for a newer bundle"
                )
            else:
                item = proofs.get(m)
                ok = item is not None and verify_consistency(
                    m, size, root_m, root, [bytes.fromhex(h) for h in item["proof"]]
                )
                if not ok:
                    rep.fail(
                        f"{note_path}: no valid proof that the log of size {m} you hold is a "
                        f"prefix of the log of size {size} (rewritten, or proof missing)"
                    )
                else:
                    rep.facts.append(f"{note_path}: your checkpoint of size {m} is a prefix")

        signed_notes = {doc["checkpoint"]} | {it["checkpoint"] for it in doc.get("consistency", [])}
        stamps = doc.get("timestamps", [])
        for item in stamps:
            note = item["checkpoint"]
            try:
                _o, m, _r = parse_checkpoint(note, key)
            except ValueError as exc:
                rep.fail(f"timestamped checkpoint: {exc}")
                continue
            if note not in signed_notes:
                rep.fail(f"the timestamp of checkpoint {m} covers a note the bundle does not prove")
                continue
            try:
                gen = check_timestamp(base64.b64decode(item["token"]), note.encode(), tsa_cert)
            except Exception as exc:  # any malformed or failing token is a failure
                rep.fail(f"the timestamp of checkpoint {m} does not check: {exc}")
                continue
            by = "its signature checked" if tsa_cert is not None else "signature NOT checked"
            rep.facts.append(f"checkpoint {m} existed at {gen} (RFC 3161 timestamp, {by})")
        if stamps and tsa_cert is None:
            rep.warnings.append(
                "timestamps not proven: pass --tsa-cert with the timestamp authority's certificate"
            )

        for f in doc.get("files", []):
            name = f["path"]
            if name not in members:
                rep.fail(f"file {name} listed but absent")
                continue
            digest = hashlib.sha256(z.read(name)).hexdigest()
            if digest != f["sha256"]:
                rep.fail(f"file {name} does not hash to {f['sha256']}")
            refs.pop(digest, None)
        for digest, where in refs.items():
            rep.warnings.append(f"{where} refers to {digest[:16]}…, not enclosed in the bundle")

        codes = [c for _, c in statuses]
        if "212" in codes and ("200" not in codes or codes.index("212") < codes.index("200")):
            rep.warnings.append("lifecycle: 212 (payment received) before any 200 (deposited)")
        for closing in ("210", "213"):
            if closing in codes and codes.index(closing) < len(codes) - 1:
                rep.warnings.append(f"lifecycle: statuses recorded after {closing}")
        rep.facts.append(
            f"invoice {invoice}: {len(entries)} entries, statuses "
            + (" → ".join(codes) if codes else "none")
        )
    return rep, doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle")
    ap.add_argument("--key", help="the log's verifier key (name+id+base64) or a file holding it")
    ap.add_argument("--checkpoint", action="append", default=[], help="a checkpoint note you hold")
    ap.add_argument("--tsa-cert", help="the timestamp authority's certificate (PEM or DER)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    cert = None
    if args.tsa_cert:
        from cryptography import x509

        try:
            with open(args.tsa_cert, "rb") as fb:
                raw = fb.read()
            cert = (
                x509.load_pem_x509_certificate(raw)
                if b"-----BEGIN" in raw
                else x509.load_der_x509_certificate(raw)
            )
        except (OSError, ValueError) as exc:
            print(f"cannot read the TSA certificate: {exc}", file=sys.stderr)
            return 2
    key_text = args.key
    if key_text and "+" not in key_text:
        try:
            with open(key_text, encoding="ascii") as f:
                key_text = f.read().strip()
        except OSError as exc:
            print(f"cannot read the key: {exc}", file=sys.stderr)
            return 2
    try:
        rep, _doc = check_bundle(args.bundle, key_text, args.checkpoint, cert)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        if args.json:
            print(json.dumps({"ok": False, "errors": [f"unreadable bundle: {exc}"]}))
        else:
            print(f"FAILED: unreadable bundle: {exc}", file=sys.stderr)
        return 2
    ok = not rep.errors
    if args.json:
        print(
            json.dumps(
                {"ok": ok, "errors": rep.errors, "warnings": rep.warnings, "facts": rep.facts},
                ensure_ascii=False,
            )
        )
    else:
        for line in rep.facts:
            print(f"  {line}")
        for line in rep.warnings:
            print(f"  warning: {line}")
        for line in rep.errors:
            print(f"  ERROR: {line}")
        print("VERIFIED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
