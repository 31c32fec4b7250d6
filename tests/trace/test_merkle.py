"""RFC 9162 Merkle tree: proofs checked against the RFC's recursive definitions, exhaustively
for small trees, and every mutation of an honest proof rejected."""

from __future__ import annotations

from hashlib import sha256

import pytest

from einvoice_gov.trace.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleTree,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# -- the RFC's definitions, written recursively as in §2.1.1, §2.1.3.1 and §2.1.4.1 -----------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = _k(n)
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


LEAVES = [leaf_hash(f"entry {i}".encode()) for i in range(130)]


def test_hash_prefixes_and_empty_tree() -> None:
    assert leaf_hash(b"x") == sha256(b"\x00x").digest()
    assert node_hash(b"a" * 32, b"b" * 32) == sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert root([]) == EMPTY_ROOT == sha256(b"").digest()
    assert MerkleTree([]).root() == EMPTY_ROOT


@pytest.mark.parametrize("n", range(1, 130))
def test_root_matches_the_recursive_definition(n: int) -> None:
    d = LEAVES[:n]
    assert root(d) == mth(d) == MerkleTree(d).root()
    cr = CompactRange()
    cr.extend(d)
    assert cr.root() == mth(d)


def test_prefix_roots_from_block_summaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The verifier's Merkle roots, built from aligned blocks, equal the RFC's."""
    from einvoice_gov.trace import scan, verifier

    monkeypatch.setattr(scan, "BLOCK", 8)
    ranges = []
    for start in range(0, 129, 32):  # four ranges of four blocks, the last one partial
        r = scan.Range(start=start)
        chunk = LEAVES[start : min(start + 32, 129)]
        for b in range(0, len(chunk), 8):
            blk = chunk[b : b + 8]
            if len(blk) == 8:
                r.blocks.append(scan.perfect_nodes(blk, 8)[0])
        for size in range(start + 1, start + len(chunk) + 1):
            if size % 8:
                r.partial[size] = scan.perfect_nodes(chunk[(size - start) // 8 * 8 :], size % 8)
        ranges.append(r)
    got = verifier._roots(ranges, range(0, 130))
    assert got[0] == EMPTY_ROOT
    assert all(got[s] == mth(LEAVES[:s]) for s in range(1, 130))


def test_streamed_merkle_blocks_match_the_rfc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leaves pushed in uneven chunks give the same block roots and prefix roots."""
    from einvoice_gov.trace import scan, verifier

    monkeypatch.setattr(scan, "BLOCK", 8)
    sizes = list(range(1, 130))
    acc = scan._Merkle(0, sizes)
    i = 0
    for step in [1, 3, 8, 13, 2, 40, 5, 57]:
        acc.add(LEAVES[i : i + step])
        i += step
    assert i == 129
    r = scan.Range(start=0, count=129, blocks=acc.blocks, partial=acc.partial)
    got = verifier._roots([r], sizes)
    assert all(got[s] == mth(LEAVES[:s]) for s in sizes)


def test_inclusion_exhaustive_up_to_64() -> None:
    for n in range(1, 65):
        d = LEAVES[:n]
        tree, r = MerkleTree(d), mth(d)
        for i in range(n):
            proof = tree.inclusion_proof(i)
            assert proof == path(i, d), (i, n)
            assert verify_inclusion(i, n, d[i], proof, r)


def test_consistency_exhaustive_up_to_64() -> None:
    for n in range(1, 65):
        d = LEAVES[:n]
        tree, rn = MerkleTree(d), mth(d)
        for m in range(1, n + 1):
            proof = tree.consistency_proof(m)
            assert proof == subproof(m, d, True), (m, n)
            assert verify_consistency(m, n, mth(d[:m]), rn, proof)


def _bitflips(proof: list[bytes]) -> list[list[bytes]]:
    out = []
    for j in range(len(proof)):
        for bit in (0, 7, 255):
            p = list(proof)
            b = bytearray(p[j])
            b[bit // 8] ^= 1 << (bit % 8)
            p[j] = bytes(b)
            out.append(p)
    return out


def _shape_mutations(proof: list[bytes]) -> list[list[bytes]]:
    extra = sha256(b"extra").digest()
    out = [[extra, *proof], [*proof, extra]]
    if proof:
        out += [proof[:-1], proof[1:], [*proof, proof[-1]], proof[:1] * len(proof) + proof[1:]]
        out += [[p for k, p in enumerate(proof) if k != j] for j in range(len(proof))]
    return [p for p in out if p != proof]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 31, 32, 33, 100, 129])
def test_inclusion_mutations_rejected(n: int) -> None:
    d = LEAVES[:n]
    tree, r = MerkleTree(d), mth(d)
    wrong_root = sha256(b"wrong").digest()
    for i in range(n):
        proof = tree.inclusion_proof(i)
        for bad in _bitflips(proof) + _shape_mutations(proof):
            assert not verify_inclusion(i, n, d[i], bad, r), (i, n)
        assert not verify_inclusion(i, n, sha256(b"other").digest(), proof, r)
        assert not verify_inclusion(i, n, d[i], proof, wrong_root)
        for j in {i - 1, i + 1, i ^ 1} - {i}:
            if 0 <= j < n and d[j] != d[i]:
                assert not verify_inclusion(j, n, d[i], proof, r), (i, j, n)
        assert not verify_inclusion(n, n, d[i], proof, r)


@pytest.mark.parametrize("n", [2, 3, 5, 8, 13, 31, 32, 33, 100, 129])
def test_consistency_mutations_rejected(n: int) -> None:
    d = LEAVES[:n]
    tree, rn = MerkleTree(d), mth(d)
    for m in range(1, n):
        rm = mth(d[:m])
        proof = tree.consistency_proof(m)
        for bad in _bitflips(proof) + _shape_mutations(proof):
            assert not verify_consistency(m, n, rm, rn, bad), (m, n)
        assert not verify_consistency(m, n, rn, rm, proof)  # swapped roots
        assert not verify_consistency(m, n, sha256(b"x").digest(), rn, proof)
        assert not verify_consistency(m, n, rm, sha256(b"x").digest(), proof)
        assert not verify_consistency(m, n, rm, rn, [])
    assert not verify_consistency(0, n, EMPTY_ROOT, rn, [])  # proofs from size 0 are refused
    assert verify_consistency(n, n, rn, rn, [])
    assert not verify_consistency(n, n, rn, rn, [rn])


def test_proofs_of_an_absent_leaf_are_refused() -> None:
    tree = MerkleTree(LEAVES[:5])
    with pytest.raises(ValueError):
        tree.inclusion_proof(5)
    with pytest.raises(ValueError):
        tree.consistency_proof(0)
