"""Local RFC 3161 timestamp authorities for the tests (no network: 127.0.0.1 only).

`TSA` holds a self-signed TSA certificate (critical extended key usage ``timeStamping``)
made with ``cryptography``, and answers ``TimeStampReq`` bodies two ways:

- ``python``: a response built here with the DER writer of the library and signed with
  ``cryptography`` (options make it misbehave: another nonce, another imprint, a refusal);
- ``openssl``: ``openssl ts -reply`` from the system's OpenSSL, an implementation that owes
  nothing to ours (skipped where the command is missing).

`serve(tsa)` runs it behind a tiny HTTP server on a free local port.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from einvoice_gov.trace import der
from einvoice_gov.trace.timestamp import (
    OID_CONTENT_TYPE,
    OID_MESSAGE_DIGEST,
    OID_SIGNED_DATA,
    OID_SIGNING_CERT_V2,
    OID_TST_INFO,
    SHA256,
)

POLICY = "1.3.6.1.4.1.99999.1"


def has_openssl_ts() -> bool:
    exe = shutil.which("openssl")
    if exe is None:
        return False
    res = subprocess.run([exe, "ts", "-help"], capture_output=True, text=True)
    return "-reply" in res.stdout + res.stderr


def make_certificate(
    name: str, *, key_type: str = "rsa", eku: bool = True, days: int = 30
) -> tuple[Any, x509.Certificate]:
    key: Any = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if key_type == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if eku:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return key, builder.sign(key, hashes.SHA256())


class TSA:
    """A timestamp authority with its own key and certificate, in ``directory``."""

    def __init__(self, directory: Path, *, key_type: str = "rsa", eku: bool = True) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.key, self.cert = make_certificate("Test TSA", key_type=key_type, eku=eku)
        self.cert_path = self.dir / "tsa.pem"
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        self.key_path = self.dir / "tsa.key"
        self.key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self.serial = 0
        self.backend = "python"
        self.misbehave: str | None = None  # "nonce", "imprint", "refuse"
        self.requests: list[bytes] = []

    # -- the python backend ---------------------------------------------------------------------

    def _sign(self, data: bytes) -> tuple[bytes, bytes]:
        """(signature algorithm identifier, signature) over data."""
        if isinstance(self.key, rsa.RSAPrivateKey):
            alg = der.sequence(der.oid("1.2.840.113549.1.1.11"), der.null())
            return alg, self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        alg = der.sequence(der.oid("1.2.840.10045.4.3.2"))
        return alg, self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def _python_reply(self, query: bytes) -> bytes:
        req = der.parse(query).children()
        imprint = req[1].raw
        nonce = next((t.as_int() for t in req[2:] if t.tag == der.INTEGER), None)
        if self.misbehave == "refuse":
            status = der.sequence(der.integer(2), der.sequence(der.tlv(0x0C, b"no, thanks")))
            return der.sequence(status)
        if self.misbehave == "imprint":
            alg = req[1].children()[0].raw
            imprint = der.sequence(alg, der.octet_string(bytes(32)))
        if self.misbehave == "nonce" and nonce is not None:
            nonce += 1
        self.serial += 1
        tst = der.sequence(
            der.integer(1),
            der.oid(POLICY),
            imprint,
            der.integer(self.serial),
            der.generalized_time(datetime.now(UTC)),
            *([der.integer(nonce)] if nonce is not None else []),
        )
        cert_der = self.cert.public_bytes(serialization.Encoding.DER)
        sha256 = der.sequence(der.oid(SHA256))
        attrs = [
            der.sequence(der.oid(OID_CONTENT_TYPE), der.set_of([der.oid(OID_TST_INFO)])),
            der.sequence(
                der.oid(OID_MESSAGE_DIGEST),
                der.set_of([der.octet_string(hashlib.sha256(tst).digest())]),
            ),
            der.sequence(
                der.oid(OID_SIGNING_CERT_V2),
                der.set_of(
                    [
                        der.sequence(
                            der.sequence(
                                der.sequence(der.octet_string(hashlib.sha256(cert_der).digest()))
                            )
                        )
                    ]
                ),
            ),
        ]
        content = b"".join(sorted(attrs))  # SET OF, in DER order
        sig_alg, signature = self._sign(der.tlv(der.SET, content))
        issuer = self.cert.issuer.public_bytes()
        signer = der.sequence(
            der.integer(1),
            der.sequence(issuer, der.integer(self.cert.serial_number)),
            sha256,
            der.context(0, content, constructed=True),
            sig_alg,
            der.octet_string(signature),
        )
        signed_data = der.sequence(
            der.integer(3),
            der.set_of([sha256]),
            der.sequence(der.oid(OID_TST_INFO), der.explicit(0, der.octet_string(tst))),
            der.context(0, cert_der, constructed=True),
            der.set_of([signer]),
        )
        token = der.sequence(der.oid(OID_SIGNED_DATA), der.explicit(0, signed_data))
        return der.sequence(der.sequence(der.integer(0)), token)

    # -- the openssl backend --------------------------------------------------------------------

    def _openssl_reply(self, query: bytes) -> bytes:
        cfg = self.dir / "openssl-ts.cnf"
        if not cfg.exists():
            (self.dir / "serial").write_text("01\n")
            cfg.write_text(
                "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\n"
                f"dir = {self.dir}\nserial = $dir/serial\ncrypto_device = builtin\n"
                "signer_cert = $dir/tsa.pem\ncerts = $dir/tsa.pem\nsigner_key = $dir/tsa.key\n"
                f"signer_digest = sha256\ndefault_policy = {POLICY}\n"
                "digests = sha256, sha384, sha512\naccuracy = secs:1\nordering = no\n"
                "tsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n"
            )
        q = self.dir / "query.tsq"
        r = self.dir / "reply.tsr"
        q.write_bytes(query)
        subprocess.run(
            ["openssl", "ts", "-reply", "-config", str(cfg), "-queryfile", str(q), "-out", str(r)],
            check=True,
            capture_output=True,
        )
        return r.read_bytes()

    def reply(self, query: bytes) -> bytes:
        self.requests.append(query)
        if self.backend == "openssl":
            return self._openssl_reply(query)
        return self._python_reply(query)


@contextmanager
def serve(tsa: TSA) -> Iterator[str]:
    """The TSA behind an HTTP server on 127.0.0.1; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(415)
                return
            try:
                out = tsa.reply(body)
            except Exception:  # a broken query: an HTTP error, as a real TSA would
                self.send_error(400)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
