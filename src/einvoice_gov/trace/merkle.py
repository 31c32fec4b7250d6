"""RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their verification.

Leaf hash ``SHA-256(0x00 ‖ entry)``, interior node ``SHA-256(0x01 ‖ left ‖ right)``, the tree
over n leaves split at the largest power of two smaller than n, ``MTH({}) = SHA-256("")``.
Inclusion proofs (§2.1.3) and consistency proofs (§2.1.4) with the RFC's verification
algorithms. Proofs do not bind the tree size: always take (size, root) together from one
signed checkpoint, never the size from an untrusted proof.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256

__all__ = [
    "EMPTY_ROOT",
    "CompactRange",
    "MerkleTree",
    "leaf_hash",
    "node_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
]

EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 ‖ entry)``."""
    return sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 ‖ left ‖ right)``."""
    return sha256(b"\x01" + left + right).digest()


def _levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every level of the tree, bottom-up; an unpaired right-most node is carried up as is.

    With that rule the node at level ``l``, index ``j`` is MTH of the leaves
    ``[j·2^l, min((j+1)·2^l, n))``, which is exactly every subtree the RFC's recursive
    definitions use.
    """
    levels = [list(leaves)]
    cur = levels[0]
    while len(cur) > 1:
        nxt = [sha256(b"\x01" + a + b).digest() for a, b in zip(cur[0::2], cur[1::2], strict=False)]
        if len(cur) % 2:
            nxt.append(cur[-1])
        levels.append(nxt)
        cur = nxt
    return levels


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH over a list of leaf hashes."""
    if not leaves:
        return EMPTY_ROOT
    return _levels(leaves)[-1][0]


def _largest_pow2_below(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """A tree over a fixed list of leaf hashes, for serving proofs (O(n) to build)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.size = len(leaves)
        self._levels = _levels(leaves) if leaves else [[]]

    def root(self) -> bytes:
        return self._levels[-1][0] if self.size else EMPTY_ROOT

    def _mth(self, a: int, b: int) -> bytes:
        s = b - a
        lvl = (s - 1).bit_length()
        j = a >> lvl
        if a != j << lvl or b != min(a + (1 << lvl), self.size):  # pragma: no cover - invariant
            raise AssertionError(f"[{a}, {b}) is not a node of the tree of size {self.size}")
        return self._levels[lvl][j]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """PATH(index, D[0:size]) (RFC 9162 §2.1.3.1)."""
        if not 0 <= index < self.size:
            raise ValueError(f"leaf {index} is not in a tree of size {self.size}")
        proof: list[bytes] = []
        lo, hi, m = 0, self.size, index
        while hi - lo > 1:
            k = _largest_pow2_below(hi - lo)
            if m < k:
                proof.append(self._mth(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self._mth(lo, lo + k))
                lo, m = lo + k, m - k
        proof.reverse()
        return proof

    def consistency_proof(self, first: int) -> list[bytes]:
        """PROOF(first, D[0:size]) (RFC 9162 §2.1.4.1); empty when first == size."""
        if not 0 < first <= self.size:
            raise ValueError(f"no consistency proof from size {first} to size {self.size}")
        proof: list[bytes] = []
        lo, hi, m, whole = 0, self.size, first, True
        while True:
            if m == hi - lo:
                if not whole:
                    proof.append(self._mth(lo, hi))
                break
            k = _largest_pow2_below(hi - lo)
            if m <= k:
                proof.append(self._mth(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self._mth(lo, lo + k))
                lo, m, whole = lo + k, m - k, False
        proof.reverse()
        return proof


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: is ``leaf`` at ``index`` in the tree of ``size`` with ``root_hash``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if len(p) != 32 or sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of size ``first`` a prefix of the tree of ``second``?

    Proofs from size 0 are refused; equal sizes need an empty proof and equal roots.
    """
    if first <= 0 or first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if not path or any(len(p) != 32 for p in path):
        return False
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = sha256(b"\x01" + c + fr).digest()
            sr = sha256(b"\x01" + c + sr).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = sha256(b"\x01" + sr + c).digest()
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


class CompactRange:
    """Streaming MTH: push leaf hashes one by one, read the root of the prefix at any time.

    Keeps one hash per set bit of the size (at most 64), so a verifier can check the signed
    root of every checkpoint in one pass over the log.
    """

    __slots__ = ("_hashes", "_sizes", "size")

    def __init__(self) -> None:
        self._hashes: list[bytes] = []
        self._sizes: list[int] = []
        self.size = 0

    def push(self, leaf: bytes) -> None:
        h, s = leaf, 1
        hashes, sizes = self._hashes, self._sizes
        while sizes and sizes[-1] == s:
            h = sha256(b"\x01" + hashes.pop() + h).digest()
            s += sizes.pop()
        hashes.append(h)
        sizes.append(s)
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.push(leaf)

    def root(self) -> bytes:
        if not self._hashes:
            return EMPTY_ROOT
        r = self._hashes[-1]
        for h in reversed(self._hashes[:-1]):
            r = sha256(b"\x01" + h + r).digest()
        return r
