"""RFC 3161 timestamps of signed checkpoints: ask a timestamp authority (TSA), check a token.

A checkpoint's signature says who signed the log's head, not when (its ``time`` line is the
signer's clock). A timestamp token from a third party says that the exact checkpoint note
existed at the token's ``genTime``: the TSA signs (CMS SignedData, RFC 5652) a ``TSTInfo``
holding the SHA-256 of the note (the *message imprint*), the time, a serial number and the
nonce of the request.

`request_token` sends a ``TimeStampReq`` over HTTP(S) and returns the token's DER bytes
after checking it answers that request. `check_token` checks a stored token against the note
it timestamps: the imprint, the CMS ``messageDigest`` of the ``TSTInfo``, and — given the TSA
certificate the user trusts — the signature, the certificate's ``timeStamping`` purpose, the
``signingCertificate`` binding and that ``genTime`` falls within the certificate's validity.
The ASN.1 is read and written by `einvoice_gov.trace.der`; signatures by ``cryptography``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from einvoice_gov.trace import der
from einvoice_gov.trace.der import DerError, Tlv

__all__ = [
    "TimestampError",
    "TokenInfo",
    "check_token",
    "load_tsa_certificate",
    "make_request",
    "parse_response",
    "parse_token",
    "request_token",
]

OID_SIGNED_DATA: Final = "1.2.840.113549.1.7.2"
OID_TST_INFO: Final = "1.2.840.113549.1.9.16.1.4"
OID_CONTENT_TYPE: Final = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST: Final = "1.2.840.113549.1.9.4"
OID_SIGNING_CERT: Final = "1.2.840.113549.1.9.16.2.12"
OID_SIGNING_CERT_V2: Final = "1.2.840.113549.1.9.16.2.47"
OID_TIME_STAMPING: Final = "1.3.6.1.5.5.7.3.8"

#: digest algorithms by OID: (hashlib name, cryptography hash)
DIGESTS: Final[dict[str, tuple[str, type[hashes.HashAlgorithm]]]] = {
    "2.16.840.1.101.3.4.2.1": ("sha256", hashes.SHA256),
    "2.16.840.1.101.3.4.2.2": ("sha384", hashes.SHA384),
    "2.16.840.1.101.3.4.2.3": ("sha512", hashes.SHA512),
}
SHA1: Final = "1.3.14.3.2.26"  # only to identify the TSA certificate (ESS signingCertificate)
SHA256: Final = "2.16.840.1.101.3.4.2.1"
#: signature algorithms: OID -> (kind, hash OID or None for "the SignerInfo digest")
SIGNATURES: Final[dict[str, tuple[str, str | None]]] = {
    "1.2.840.113549.1.1.1": ("rsa", None),
    "1.2.840.113549.1.1.11": ("rsa", "2.16.840.1.101.3.4.2.1"),
    "1.2.840.113549.1.1.12": ("rsa", "2.16.840.1.101.3.4.2.2"),
    "1.2.840.113549.1.1.13": ("rsa", "2.16.840.1.101.3.4.2.3"),
    "1.2.840.10045.2.1": ("ecdsa", None),
    "1.2.840.10045.4.3.2": ("ecdsa", "2.16.840.1.101.3.4.2.1"),
    "1.2.840.10045.4.3.3": ("ecdsa", "2.16.840.1.101.3.4.2.2"),
    "1.2.840.10045.4.3.4": ("ecdsa", "2.16.840.1.101.3.4.2.3"),
    "1.3.101.112": ("ed25519", None),
}
MAX_RESPONSE: Final = 1 << 20


class TimestampError(ValueError):
    """A timestamp request failed, or a token does not check."""


@dataclass(frozen=True)
class TokenInfo:
    """What a timestamp token says (from its ``TSTInfo``), and what was checked."""

    gen_time: datetime
    serial: int
    policy: str
    imprint_algorithm: str
    imprint: bytes
    nonce: int | None
    #: the TSA certificate's subject when the signature was checked against it, else None
    tsa: str | None

    @property
    def signature(self) -> str:
        return "checked" if self.tsa is not None else "unchecked"

    def gen_time_text(self) -> str:
        """``genTime`` as RFC 3339 UTC (``2026-11-26T13:00:00Z``, fraction kept)."""
        t = self.gen_time
        text = t.strftime("%Y-%m-%dT%H:%M:%S")
        if t.microsecond:
            text += "." + f"{t.microsecond:06d}".rstrip("0")
        return text + "Z"


@dataclass(frozen=True)
class _Token:
    tst_info: bytes  # the eContent (DER TSTInfo)
    info: TokenInfo
    digest_oid: str
    signed_attrs: list[Tlv] | None
    signed_attrs_der: bytes | None  # re-tagged as SET OF, what the signature covers
    signature_oid: str
    signature: bytes
    sid: Tlv
    certificates: list[bytes]


def _alg(t: Tlv) -> str:
    """The OID of an AlgorithmIdentifier."""
    return t.expect(der.SEQUENCE).children()[0].as_oid()


def _imprint(t: Tlv) -> tuple[str, bytes]:
    alg, digest = t.expect(der.SEQUENCE).children()
    return _alg(alg), digest.as_bytes()


def _tst_info(data: bytes) -> TokenInfo:
    items = der.parse(data).expect(der.SEQUENCE).children()
    if len(items) < 5 or items[0].as_int() != 1:
        raise TimestampError("TSTInfo: unsupported version or too short")
    policy = items[1].as_oid()
    alg, digest = _imprint(items[2])
    serial = items[3].as_int()
    gen_time = items[4].expect(der.GENERALIZED_TIME).as_time()
    nonce = None
    for t in items[5:]:
        if t.tag == der.INTEGER:
            nonce = t.as_int()
    return TokenInfo(gen_time, serial, policy, alg, digest, nonce, None)


def parse_token(token: bytes) -> TokenInfo:
    """What a token says (nothing checked but its structure); raises `TimestampError`."""
    return _parse(token).info


def _parse(token: bytes) -> _Token:
    try:
        ci = der.parse(token).expect(der.SEQUENCE).children()
        if len(ci) != 2 or ci[0].as_oid() != OID_SIGNED_DATA or ci[1].tag != 0xA0:
            raise TimestampError("not a CMS SignedData")
        sd = ci[1].children()[0].expect(der.SEQUENCE).children()
        encap = sd[2].expect(der.SEQUENCE).children()
        if encap[0].as_oid() != OID_TST_INFO:
            raise TimestampError("the signed content is not a TSTInfo")
        if len(encap) != 2 or encap[1].tag != 0xA0:
            raise TimestampError("the TSTInfo is missing")
        tst = encap[1].children()[0].as_bytes()
        certs: list[bytes] = []
        rest = sd[3:]
        while rest and rest[0].tag in (0xA0, 0xA1):
            if rest[0].tag == 0xA0:
                certs = [c.raw for c in rest[0].children() if c.tag == der.SEQUENCE]
            rest = rest[1:]
        if len(rest) != 1:
            raise TimestampError("unexpected SignedData fields")
        signers = rest[0].expect(der.SET).children()
        if len(signers) != 1:
            raise TimestampError("a timestamp token carries exactly one signature")
        si = signers[0].expect(der.SEQUENCE).children()
        sid, digest_oid = si[1], _alg(si[2])
        i = 3
        attrs: list[Tlv] | None = None
        attrs_der: bytes | None = None
        if si[i].tag == 0xA0:
            attrs = si[i].children()
            attrs_der = der.tlv(der.SET, si[i].value)
            i += 1
        signature_oid = _alg(si[i])
        signature = si[i + 1].as_bytes()
        info = _tst_info(tst)
    except (DerError, IndexError) as exc:
        raise TimestampError(f"unreadable timestamp token: {exc}") from exc
    return _Token(tst, info, digest_oid, attrs, attrs_der, signature_oid, signature, sid, certs)


def _digest(oid: str, data: bytes) -> bytes:
    if oid not in DIGESTS:
        raise TimestampError(f"unsupported digest algorithm {oid}")
    return hashlib.new(DIGESTS[oid][0], data).digest()


def _attr(attrs: list[Tlv], oid: str) -> list[Tlv] | None:
    for a in attrs:
        kids = a.expect(der.SEQUENCE).children()
        if kids[0].as_oid() == oid:
            return kids[1].expect(der.SET).children()
    return None


def _check_signer(tok: _Token, cert: x509.Certificate) -> None:
    """The token names this certificate as its signer, and binds it (ESS)."""
    if tok.sid.tag == der.SEQUENCE:  # issuerAndSerialNumber
        issuer, serial = tok.sid.children()
        if serial.as_int() != cert.serial_number or issuer.raw != cert.issuer.public_bytes():
            raise TimestampError("the token was signed by another certificate")
    elif tok.sid.tag == 0x80:  # subjectKeyIdentifier
        try:
            ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        except x509.ExtensionNotFound as exc:
            raise TimestampError("the token names a key identifier the certificate lacks") from exc
        if ski.digest != tok.sid.value:
            raise TimestampError("the token was signed by another key")
    else:
        raise TimestampError("unreadable signer identifier")
    attrs = tok.signed_attrs or []
    cert_der = cert.public_bytes(Encoding.DER)
    v2 = _attr(attrs, OID_SIGNING_CERT_V2)
    v1 = _attr(attrs, OID_SIGNING_CERT)
    if v2:
        ess = v2[0].children()[0].children()[0].children()  # certs[0] = ESSCertIDv2
        alg = SHA256
        if ess[0].tag == der.SEQUENCE:
            alg = _alg(ess[0])
            ess = ess[1:]
        if ess[0].as_bytes() != _digest(alg, cert_der):
            raise TimestampError("the token binds another certificate (signingCertificateV2)")
    elif v1:
        ess = v1[0].children()[0].children()[0].children()  # certs[0] = ESSCertID
        if ess[0].as_bytes() != hashlib.sha1(cert_der, usedforsecurity=False).digest():
            raise TimestampError("the token binds another certificate (signingCertificate)")
    else:
        raise TimestampError("the token does not bind the TSA certificate (no signingCertificate)")


def _verify_signature(tok: _Token, cert: x509.Certificate) -> None:
    if tok.signed_attrs_der is None:
        raise TimestampError("the token has no signed attributes")
    kind, hash_oid = SIGNATURES.get(tok.signature_oid, ("", None))
    hash_oid = hash_oid or tok.digest_oid
    if hash_oid not in DIGESTS and kind != "ed25519":
        raise TimestampError(f"unsupported signature algorithm {tok.signature_oid}")
    key = cert.public_key()
    data, sig = tok.signed_attrs_der, tok.signature
    try:
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, data, padding.PKCS1v15(), DIGESTS[hash_oid][1]())
        elif kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sig, data, ec.ECDSA(DIGESTS[hash_oid][1]()))
        elif kind == "ed25519" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(sig, data)
        else:
            raise TimestampError(
                f"signature algorithm {tok.signature_oid} does not match the TSA certificate's key"
            )
    except InvalidSignature as exc:
        raise TimestampError("the TSA signature does not verify") from exc
    except UnsupportedAlgorithm as exc:  # pragma: no cover - depends on the OpenSSL build
        raise TimestampError(f"unsupported signature: {exc}") from exc


def _check_certificate(cert: x509.Certificate, when: datetime) -> None:
    """RFC 3161 §2.3: a critical extended key usage holding only timeStamping."""
    try:
        ext = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound as exc:
        raise TimestampError("the certificate is not a TSA's (no timeStamping key usage)") from exc
    if not ext.critical or [u.dotted_string for u in ext.value] != [OID_TIME_STAMPING]:
        raise TimestampError(
            "the certificate is not a TSA's (its key usage must be timeStamping only, critical)"
        )
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        raise TimestampError("genTime falls outside the TSA certificate's validity")


def check_token(
    token: bytes, message: bytes, tsa_cert: x509.Certificate | None = None
) -> TokenInfo:
    """Check that ``token`` timestamps ``message`` (and, given ``tsa_cert``, who signed it).

    Without a certificate the imprint and the CMS message digest are checked and
    `TokenInfo.tsa` is None (the signature is unchecked). Raises `TimestampError`.
    """
    tok = _parse(token)
    info = tok.info
    if info.imprint_algorithm not in DIGESTS:
        raise TimestampError(f"unsupported imprint algorithm {info.imprint_algorithm}")
    if _digest(info.imprint_algorithm, message) != info.imprint:
        raise TimestampError("the token timestamps other bytes (message imprint differs)")
    if tok.signed_attrs is None:
        raise TimestampError("the token has no signed attributes")
    try:
        ctype = _attr(tok.signed_attrs, OID_CONTENT_TYPE)
        mdig = _attr(tok.signed_attrs, OID_MESSAGE_DIGEST)
        if not ctype or ctype[0].as_oid() != OID_TST_INFO:
            raise TimestampError("the signed content type is not TSTInfo")
        if not mdig or mdig[0].as_bytes() != _digest(tok.digest_oid, tok.tst_info):
            raise TimestampError("the signed digest does not match the TSTInfo")
        if tsa_cert is None:
            return info
        _check_signer(tok, tsa_cert)
    except (DerError, IndexError) as exc:
        raise TimestampError(f"unreadable signed attributes: {exc}") from exc
    _verify_signature(tok, tsa_cert)
    _check_certificate(tsa_cert, info.gen_time)
    return TokenInfo(
        info.gen_time,
        info.serial,
        info.policy,
        info.imprint_algorithm,
        info.imprint,
        info.nonce,
        tsa_cert.subject.rfc4514_string(),
    )


def load_tsa_certificate(data: bytes) -> x509.Certificate:
    """A TSA certificate from PEM or DER bytes; raises `TimestampError`."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise TimestampError(f"unreadable TSA certificate: {exc}") from exc


def make_request(message: bytes, *, nonce: int, policy: str | None = None) -> bytes:
    """A DER ``TimeStampReq`` for SHA-256(message), asking for the TSA certificate."""
    imprint = der.sequence(
        der.sequence(der.oid(SHA256), der.null()),
        der.octet_string(hashlib.sha256(message).digest()),
    )
    parts = [der.integer(1), imprint]
    if policy:
        parts.append(der.oid(policy))
    parts += [der.integer(nonce), der.boolean(True)]
    return der.sequence(*parts)


_STATUS: Final = {2: "rejection", 3: "waiting", 4: "revocation warning", 5: "revoked"}


def parse_response(data: bytes) -> bytes:
    """The token of a DER ``TimeStampResp``; raises `TimestampError` when not granted."""
    try:
        items = der.parse(data).expect(der.SEQUENCE).children()
        status = items[0].expect(der.SEQUENCE).children()
        code = status[0].as_int()
        if code not in (0, 1):
            text = ""
            if len(status) > 1 and status[1].tag == der.SEQUENCE:
                text = "; ".join(s.value.decode("utf-8", "replace") for s in status[1].children())
            why = f"{_STATUS.get(code, code)}{': ' + text if text else ''}"
            raise TimestampError(f"the TSA refused the request ({why})")
        if len(items) < 2:
            raise TimestampError("the TSA granted the request but sent no token")
        return items[1].raw
    except (DerError, IndexError) as exc:
        raise TimestampError(f"unreadable TSA response: {exc}") from exc


def request_token(
    url: str,
    message: bytes,
    *,
    tsa_cert: x509.Certificate | None = None,
    policy: str | None = None,
    timeout: float = 30.0,
) -> tuple[bytes, TokenInfo]:
    """Ask the TSA at ``url`` (http or https) to timestamp ``message``.

    Returns the token (DER) once it answers this request (imprint and nonce) and, given
    ``tsa_cert``, carries the TSA's valid signature. Raises `TimestampError`.
    """
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    if urlsplit(url).scheme not in ("http", "https"):
        raise TimestampError(f"a TSA URL is http:// or https://, not {url!r}")
    nonce = secrets.randbits(63)
    req = urllib.request.Request(
        url,
        data=make_request(message, nonce=nonce, policy=policy),
        headers={"Content-Type": "application/timestamp-query"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # http(s) only, checked above
            body = resp.read(MAX_RESPONSE + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TimestampError(f"the TSA at {url} did not answer: {exc}") from exc
    if len(body) > MAX_RESPONSE:
        raise TimestampError("the TSA response is too large")
    token = parse_response(body)
    info = check_token(token, message, tsa_cert)
    if info.nonce != nonce:
        raise TimestampError("the token does not answer this request (nonce differs)")
    return token, info
