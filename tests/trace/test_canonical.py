"""RFC 8785 canonical JSON: the full scheme, and the fast path equal to it on our data model."""

from __future__ import annotations

import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from einvoice_gov.trace.canonical import (
    MAX_SAFE_INTEGER,
    CanonicalError,
    dumps,
    dumps_restricted,
)


def _f(bits: str) -> float:
    return float(struct.unpack(">d", bytes.fromhex(bits))[0])


# RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "text"), NUMBERS)
def test_numbers_follow_ecmascript(bits: str, text: str) -> None:
    assert dumps(_f(bits)) == text.encode()


def test_rfc8785_example_sorting_and_escapes() -> None:
    # RFC 8785 §3.2.3: member names sorted by their UTF-16 code units
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew",
        "1": "One",
        "\U0001f600": "Emoji",
        "\u0080": "Control",
        "\u00f6": "Latin",
    }
    out = dumps(value).decode()
    keys = list(json.loads(out))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert (
        dumps('a"\\\b\f\n\r\t\x01\x1f\u2028/é')
        == '"a\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u2028/é"'.encode()
    )
    assert dumps({"b": [1, True, None], "a": {}}) == b'{"a":{},"b":[1,true,null]}'


@pytest.mark.parametrize(
    "bad",
    [float("nan"), float("inf"), 2**53, -(2**53), "\ud800", {1: "x"}, {"k": object()}],
)
def test_values_outside_ijson_are_refused(bad: object) -> None:
    with pytest.raises(CanonicalError):
        dumps(bad)


@pytest.mark.parametrize("bad", [1.5, 2**53, {"é": 1}, {"k": [0.0]}, "\udc00"])
def test_restricted_model_refuses_floats_big_ints_non_ascii_names(bad: object) -> None:
    with pytest.raises(CanonicalError):
        dumps_restricted(bad)


_names = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=0, max_size=12
)
_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
    | _texts
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_names, inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_fast_path_equals_full_jcs_on_the_restricted_model(value: object) -> None:
    assert dumps_restricted(value) == dumps(value)


@settings(max_examples=100, deadline=None)
@given(_values)
def test_canonical_form_is_a_fixed_point(value: object) -> None:
    once = dumps(value)
    assert dumps(json.loads(once)) == once


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_round_trip(x: float) -> None:
    assert float(dumps(x)) == x
