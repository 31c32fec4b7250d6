"""What compiled rules run on: a light node tree and the XPath 2.0 semantics they need.

The tree is built once per document from the lxml tree (one pass): elements keep their children
(and an index by name), their attributes and their string value. Values follow the XPath data
model: nodes, ``xs:untypedAtomic`` (:class:`UA`, the atomized value of a node), ``xs:string``
(``str``), ``xs:integer`` (``int``), ``xs:decimal`` (``Decimal``), ``xs:double`` (``float``),
``xs:boolean`` (``bool``) and ``xs:date`` (:class:`XDate`). Dynamic errors raise
:class:`XPathError` with the XPath error code, as Saxon would.
"""

from __future__ import annotations

import math
import operator
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    getcontext,
)
from functools import lru_cache
from typing import Any, ClassVar

from lxml import etree

Item = Any
Seq = list[Any]

_DEC = Context(prec=200, Emax=999999, Emin=-999999)


class XPathError(Exception):
    """A dynamic or type error of the artefact's XPath (the official engine crashes there)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


def and_(x: Callable[[], bool], y: Callable[[], bool]) -> bool:
    """``x and y`` as Saxon evaluates it: when ``x`` raises, ``y`` decides if it is false."""
    try:
        a = x()
    except XPathError:
        if not y():
            return False
        raise
    return a and y()


def or_(x: Callable[[], bool], y: Callable[[], bool]) -> bool:
    """``x or y`` as Saxon evaluates it: when ``x`` raises, ``y`` decides if it is true."""
    try:
        a = x()
    except XPathError:
        if y():
            return True
        raise
    return a or y()


class UA(str):
    """``xs:untypedAtomic``: the atomized value of a node."""

    __slots__ = ()


class XDate:
    """``xs:date`` (with optional timezone, in minutes)."""

    __slots__ = ("day", "tz")

    def __init__(self, day: int, tz: int | None) -> None:
        self.day = day  # proleptic ordinal
        self.tz = tz

    def key(self) -> float:
        # without timezone: implicit timezone UTC (as Saxon with its default)
        return self.day * 1440 - (self.tz or 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, XDate) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())


# --------------------------------------------------------------------------------------------
# the tree


class Doc:
    """The document node."""

    __slots__ = ("_aidx", "_idx", "by", "bypid", "elems", "kids", "memo", "pos", "root", "tree")

    root: Node

    tag = None
    parent = None
    pid = 0
    anodes: ClassVar[list[Attr]] = []
    attrs: ClassVar[dict[str, Attr]] = {}
    prefix = None

    def __init__(self) -> None:
        self.kids: list[Node] = []
        self.by: dict[str, list[Node]] = {}
        self.pos = 0
        #: every element in document order (attributes hang on their element's ``anodes``)
        self.elems: list[Node] = []
        #: values of context-free expressions computed once per document (see codegen)
        self.memo: dict[str, Any] = {}
        #: elements by expanded name, in document order
        self._idx: dict[str, list[Node]] = {}
        #: elements by path id (:func:`path_id`), in document order
        self.bypid: dict[int, list[Node]] = {}
        self._aidx: dict[str, list[Attr]] | None = None

    @property
    def sv(self) -> str:
        return "".join(k.sv for k in self.kids)

    def release(self) -> None:
        """Break the tree's reference cycles (node ↔ parent, attribute ↔ element) so that
        reference counting frees it at once, without waiting for (and costing) the cyclic
        garbage collector. The tree is unusable afterwards."""
        for n in self.elems:
            n.parent = None  # type: ignore[assignment]
            for a in n.anodes:
                a.parent = None  # type: ignore[assignment]
        self.memo.clear()


_NO_KIDS: list[Node] = []
_NO_BY: dict[str, list[Node]] = {}
_NO_ATTRS: list[Attr] = []
_NO_ATTR_BY: dict[str, Attr] = {}


class Node:
    """An element.

    ``sv`` (the string value) is set when the tree is built for elements without children and
    computed on first read for the others; ``pid`` identifies the element's path of names from
    the root (see :func:`path_id`), the key the compiled stages dispatch on.
    """

    __slots__ = ("_pfx", "anodes", "attrs", "by", "el", "kids", "parent", "pid", "pos", "sv", "tag")

    sv: str

    def __init__(
        self, tag: str, parent: Node | Doc, el: etree._Element, pos: int, pid: int
    ) -> None:
        self.tag = tag
        self.parent = parent
        self.el = el
        self.pos = pos
        self.pid = pid
        self.kids: list[Node] = _NO_KIDS
        self.by: dict[str, list[Node]] = _NO_BY
        self.anodes: list[Attr] = _NO_ATTRS
        self.attrs: dict[str, Attr] = _NO_ATTR_BY
        self._pfx: str | bool | None = False

    def __getattr__(self, name: str) -> Any:
        # only reached for an unset slot: the string value of an element with children
        if name == "sv":
            s = "".join(str(t) for t in self.el.itertext())
            self.sv = s
            return s
        raise AttributeError(name)

    @property
    def prefix(self) -> str | None:
        p = self._pfx
        if p is False:
            p = self._pfx = self.el.prefix
        return p  # type: ignore[return-value]


class Attr:
    """An attribute node."""

    __slots__ = ("parent", "pos", "sv", "tag")

    kids: ClassVar[list[Node]] = []
    by: ClassVar[dict[str, list[Node]]] = {}
    anodes: ClassVar[list[Attr]] = []
    attrs: ClassVar[dict[str, Attr]] = {}
    prefix = None

    def __init__(self, tag: str, parent: Node, value: str, pos: int) -> None:
        self.tag = tag
        self.parent = parent
        self.sv = value
        self.pos = pos


NODE_TYPES: tuple[type, ...] = (Node, Attr, Doc)

# --------------------------------------------------------------------------------------------
# element paths: (parent path id, name) -> id, shared by every document of the process so that
# the compiled stages resolve which rules can match an element once per distinct path. The
# table is bounded: past MAX_PATHS, new paths get id -1 and are resolved per element, uncached.

MAX_PATHS = 50_000
_PATHS: dict[tuple[int, str], int] = {}
#: path id -> (parent path id, name); id 0 is the document node
PATH_OF: list[tuple[int, str]] = [(-1, "")]
_paths_lock = threading.Lock()


def path_id(parent: int, tag: str) -> int:
    """The id of the path ``parent``/``tag`` (-1 when the table is full or parent is -1)."""
    pid = _PATHS.get((parent, tag))
    if pid is not None:
        return pid
    if parent < 0:
        return -1
    with _paths_lock:
        pid = _PATHS.get((parent, tag))
        if pid is None:
            if len(PATH_OF) >= MAX_PATHS:
                return -1
            pid = len(PATH_OF)
            PATH_OF.append((parent, tag))
            _PATHS[(parent, tag)] = pid
    return pid


def build(tree: etree._ElementTree | etree._Element) -> Doc:
    """The node tree of a parsed document, in one flat pass over lxml's ``iter()``.

    No recursion: ``iter()`` yields the subtree in document order and ``len(el)`` says how many
    children (elements, comments, processing instructions) each element has, so the parent of
    every node is the top of a stack of (element, children still to come). Elements are also
    grouped by path id (:attr:`Doc.bypid`, what the compiled stages dispatch on) and by name.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    doc = Doc()
    elems = doc.elems
    index = doc._idx
    bypid = doc.bypid
    paths = _PATHS
    new = object.__new__
    node_t = Node
    attr_t = Attr
    no_kids = _NO_KIDS
    no_by = _NO_BY
    no_attrs = _NO_ATTRS
    no_attr_by = _NO_ATTR_BY
    stack: list[tuple[Node | Doc, int, int]] = []
    push = stack.append
    pop = stack.pop
    cur: Node | Doc = doc  # the element whose children come now, its path id, how many left
    cpid = 0
    rem = 1
    pos = 0
    for el in root.iter():
        p = cur
        ppid = cpid
        rem -= 1
        if rem == 0 and stack:
            # el is p's last child: after el's subtree come the children of an ancestor
            cur, cpid, rem = pop()
        tag = el.tag
        if tag.__class__ is not str:
            continue  # comment, processing instruction
        pos += 1
        pid = paths.get((ppid, tag))
        if pid is None:
            pid = path_id(ppid, tag)
        n = new(node_t)
        n.tag = tag
        n.parent = p
        n.el = el
        n.pos = pos
        n.pid = pid
        n._pfx = False
        elems.append(n)
        lst = index.get(tag)
        if lst is None:
            index[tag] = [n]
        else:
            lst.append(n)
        lst = bypid.get(pid)
        if lst is None:
            bypid[pid] = [n]
        else:
            lst.append(n)
        p.kids.append(n)
        lst = p.by.get(tag)
        if lst is None:
            p.by[tag] = [n]
        else:
            lst.append(n)
        items: list[tuple[str, str]] = el.items()  # type: ignore[assignment]
        if items:
            anodes: list[Attr] = []
            attrs: dict[str, Attr] = {}
            for name, value in items:
                pos += 1
                a = new(attr_t)
                a.tag = name
                a.parent = n
                a.sv = value
                a.pos = pos
                anodes.append(a)
                attrs[name] = a
            n.anodes = anodes
            n.attrs = attrs
        else:
            n.anodes = no_attrs
            n.attrs = no_attr_by
        nk = len(el)
        if nk:
            n.kids = []
            n.by = {}
            push((cur, cpid, rem))
            cur = n
            cpid = pid
            rem = nk
        else:
            n.kids = no_kids
            n.by = no_by
            n.sv = el.text or ""
    doc.root = doc.kids[0]
    return doc


def doc_of(n: Any) -> Doc:
    while n.parent is not None:
        n = n.parent
    return n  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# node sequences


def sort_nodes(nodes: Iterable[Any]) -> list[Any]:
    """Document order without duplicates (a list already so is returned as it is)."""
    if nodes.__class__ is list:
        if len(nodes) < 2:
            return nodes
        it = iter(nodes)
        p = next(it).pos
        for x in it:
            q = x.pos
            if q <= p:
                break
            p = q
        else:
            return nodes
    seen: dict[int, Any] = {}
    for n in nodes:
        seen[n.pos] = n
    return [seen[k] for k in sorted(seen)]


def is_node(x: Any) -> bool:
    return type(x) in NODE_TYPES


def descendants(n: Any) -> list[Node]:
    out: list[Node] = []

    def rec(m: Any) -> None:
        for k in m.kids:
            out.append(k)
            if k.kids:
                rec(k)

    rec(n)
    return out


def desc_or_self(n: Any) -> list[Any]:
    if type(n) is Attr:
        return [n]
    return [n, *descendants(n)]


def ancestors(n: Any) -> list[Any]:
    out = []
    p = n.parent
    while p is not None:
        out.append(p)
        p = p.parent
    out.reverse()
    return out


def preceding_siblings(n: Any) -> list[Node]:
    if type(n) is Attr or n.parent is None:
        return []
    kids = n.parent.kids
    i = kids.index(n)
    return list(kids[:i])


def following_siblings(n: Any) -> list[Node]:
    if type(n) is Attr or n.parent is None:
        return []
    kids = n.parent.kids
    i = kids.index(n)
    return list(kids[i + 1 :])


def preceding_siblings_named(n: Any, tag: str) -> list[Node]:
    p = n.parent
    if type(n) is Attr or p is None:
        return []
    pos = n.pos
    return [m for m in p.by.get(tag, ()) if m.pos < pos]


def following_siblings_named(n: Any, tag: str) -> list[Node]:
    p = n.parent
    if type(n) is Attr or p is None:
        return []
    pos = n.pos
    return [m for m in p.by.get(tag, ()) if m.pos > pos]


def ancestors_named(n: Any, tag: str) -> list[Any]:
    out = []
    p = n.parent
    while p is not None:
        if p.tag == tag:
            out.append(p)
        p = p.parent
    out.reverse()
    return out


def preceding_named(n: Any, tag: str) -> list[Node]:
    """``preceding::tag`` from the document's name index."""
    d = doc_of(n)
    pos = n.pos
    cand = [m for m in d._idx.get(tag, ()) if m.pos < pos]
    if not cand:
        return cand
    anc = set(id(a) for a in ancestors(n))
    return [m for m in cand if id(m) not in anc]


def following_named(n: Any, tag: str) -> list[Node]:
    """``following::tag`` from the document's name index."""
    d = doc_of(n)
    if type(n) is Attr:
        bound = n.parent.pos
    else:
        last = n
        while last.kids:
            last = last.kids[-1]
        bound = last.pos
    return [m for m in d._idx.get(tag, ()) if m.pos > bound]


def preceding(n: Any) -> list[Node]:
    anc = set(id(a) for a in ancestors(n))
    d = doc_of(n)
    pos = n.pos
    return [m for m in d.elems if m.pos < pos and id(m) not in anc]


def following(n: Any) -> list[Node]:
    d = doc_of(n)
    if type(n) is Attr:
        n = n.parent
        return [m for m in d.elems if m.pos > n.pos]
    last = n
    while last.kids:
        last = last.kids[-1]
    return [m for m in d.elems if m.pos > last.pos]


# --------------------------------------------------------------------------------------------
# atomization and conversions


def atomize(seq: Iterable[Any]) -> list[Any]:
    out = []
    for x in seq:
        t = type(x)
        if t is Node or t is Attr or t is Doc:
            out.append(UA(x.sv))
        else:
            out.append(x)
    return out


def atom(x: Any) -> Any:
    t = type(x)
    if t is Node or t is Attr or t is Doc:
        return UA(x.sv)
    return x


def one_or_none(seq: Sequence[Any], what: str = "") -> Any:
    """Atomize a sequence expected to hold at most one item (``xs:anyAtomicType?``)."""
    if not seq:
        return None
    if len(seq) > 1:
        raise XPathError("XPTY0004", f"a sequence of more than one item is not allowed {what}")
    return atom(seq[0])


def string_of(x: Any) -> str:
    """``fn:string`` of one item."""
    t = type(x)
    if t is Node or t is Attr or t is Doc:
        return x.sv  # type: ignore[no-any-return]
    if t is str or t is UA:
        return x  # type: ignore[no-any-return]
    if t is bool:
        return "true" if x else "false"
    if t is int:
        return str(x)
    if t is Decimal:
        return dec_str(x)
    if t is float:
        return dbl_str(x)
    if t is XDate:
        return date_str(x)
    return str(x)


def sv1(seq: Sequence[Any]) -> str:
    """``xs:string?`` of a node list (``str_arg`` for a list known to hold only nodes)."""
    if not seq:
        return ""
    if len(seq) == 1:
        return seq[0].sv  # type: ignore[no-any-return]
    raise XPathError("XPTY0004", "a sequence of more than one item is not allowed")


def attr_sv(n: Any, name: str) -> str:
    """The value of the attribute ``name`` of node ``n`` ("" when absent)."""
    a = n.attrs.get(name)
    return a.sv if a is not None else ""


def group(items: Sequence[Any], keys: Callable[[Any], Sequence[str]]) -> dict[str, list[Any]]:
    """Items by each of their key values, in document order (an item once per value)."""
    idx: dict[str, list[Any]] = {}
    for p in items:
        for k in keys(p):
            lst = idx.get(k)
            if lst is None:
                idx[k] = [p]
            elif lst[-1] is not p:
                lst.append(p)
    return idx


def sv_opt(seq: Sequence[Any]) -> str:
    """``xs:string?`` of a list of at most one node."""
    return seq[0].sv if seq else ""


def kids(nodes: Sequence[Any], tag: str) -> list[Any]:
    """``nodes/tag``: the children named ``tag`` of each node, in order (for one node, its
    own list: never modified)."""
    if len(nodes) == 1:
        return nodes[0].by.get(tag, EMPTY)  # type: ignore[no-any-return]
    out: list[Any] = []
    for n in nodes:
        lst = n.by.get(tag)
        if lst:
            out += lst
    return out


def attrs_named(nodes: Iterable[Any], name: str) -> list[Any]:
    """``nodes/@name``: the attribute ``name`` of each node that has it, in order."""
    out = []
    for n in nodes:
        a = n.attrs.get(name)
        if a is not None:
            out.append(a)
    return out


def kids_dec(nodes: Sequence[Any], tag: str) -> list[Any]:
    """``nodes/xs:decimal(tag)``: the decimal value of each node's one child ``tag``, in order
    (XPTY0004 for a node with several, FORG0001 for a value that is no decimal)."""
    out: list[Any] = []
    for n in nodes:
        lst = n.by.get(tag)
        if lst:
            if len(lst) > 1:
                raise XPathError("XPTY0004", f"cannot cast a sequence of {len(lst)} items")
            out.append(str_to_dec(lst[0].sv))
    return out


def sv_bool_eq(nodes: Iterable[Any], b: bool) -> bool:
    """``nodes = true()`` (or ``false()``): some node's value cast to xs:boolean is b."""
    for n in nodes:  # noqa: SIM110 (a loop: no generator to create)
        if str_to_bool(n.sv) is b:
            return True
    return False


def sv_bool_ne(nodes: Iterable[Any], b: bool) -> bool:
    """``nodes != true()`` (or ``false()``): some node's value cast to xs:boolean is not b."""
    for n in nodes:  # noqa: SIM110 (a loop: no generator to create)
        if str_to_bool(n.sv) is not b:
            return True
    return False


def sv_eq(nodes: Iterable[Any], s: str) -> bool:
    """``nodes = s`` for a string s: some node's string value is s."""
    for n in nodes:  # noqa: SIM110 (a loop: no generator to create)
        if n.sv == s:
            return True
    return False


def sv_ne(nodes: Iterable[Any], s: str) -> bool:
    """``nodes != s`` for a string s: some node's string value is not s."""
    for n in nodes:  # noqa: SIM110 (a loop: no generator to create)
        if n.sv != s:
            return True
    return False


def sv_in(nodes: Iterable[Any], codes: AbstractSet[str]) -> bool:
    """``nodes = ('a', 'b', ...)``: some node's string value is one of the strings."""
    for n in nodes:  # noqa: SIM110 (a loop: no generator to create)
        if n.sv in codes:
            return True
    return False


def nodes_eq(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """``a = b`` for two node lists: some pair of nodes with the same string value."""
    if not a or not b:
        return False
    if len(b) == 1:
        return sv_eq(a, b[0].sv)
    return sv_in(a, {y.sv for y in b})


def nodes_ne(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """``a != b`` for two node lists: some pair of nodes with different string values."""
    if not a or not b:
        return False
    first = a[0].sv
    return any(x.sv != first for x in a) or any(y.sv != first for y in b)


def attr_eq(n: Any, name: str, s: str) -> bool:
    """``@name = s``: the attribute is present and its value is s."""
    a = n.attrs.get(name)
    return a is not None and a.sv == s


def attr_ne(n: Any, name: str, s: str) -> bool:
    """``@name != s``: the attribute is present and its value is not s."""
    a = n.attrs.get(name)
    return a is not None and a.sv != s


def str_any_ne(strs: Iterable[str], s: str) -> bool:
    for t in strs:  # noqa: SIM110 (a loop: no generator to create)
        if t != s:
            return True
    return False


def in_codes(s: str, codes: frozenset[str]) -> bool:
    """``normalize-space(s)`` is one of ``codes`` (codes hold no whitespace)."""
    return s in codes or norm_ws(s) in codes


def nonblank(s: str) -> bool:
    """``normalize-space(s) != ''``: s holds a character other than XML whitespace."""
    return s.strip(" \t\n\r") != ""


def dec_opt(seq: Sequence[Any]) -> list[Any]:
    """``xs:decimal(nodes)``: empty, or the one node's value as a decimal."""
    if not seq:
        return []
    if len(seq) > 1:
        raise XPathError("XPTY0004", f"cannot cast a sequence of {len(seq)} items")
    return [str_to_dec(seq[0].sv)]


def merge_nodes(a: list[Any], b: list[Any]) -> list[Any]:
    """The union of two node lists in document order (both already in document order)."""
    if not a:
        return b
    if not b:
        return a
    return sort_nodes([*a, *b])


def str_arg(seq: Sequence[Any]) -> str:
    """An ``xs:string?`` argument (empty sequence → "")."""
    if not seq:
        return ""
    if len(seq) > 1:
        raise XPathError("XPTY0004", "a sequence of more than one item is not allowed")
    return string_of(seq[0])


def dec_str(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def dbl_str(f: float) -> str:
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "INF" if f > 0 else "-INF"
    if f == 0:
        return "0" if math.copysign(1, f) > 0 else "-0"
    a = abs(f)
    if 1e-6 <= a < 1e6:
        d = Decimal(repr(f))
        return dec_str(d)
    r = repr(f).upper().replace("E+", "E")
    m, _, e = r.partition("E")
    if "." not in m:
        m += ".0"
    return f"{m}E{int(e)}"


def date_str(d: XDate) -> str:
    import datetime

    s = datetime.date.fromordinal(d.day).isoformat()
    if d.tz is None:
        return s
    if d.tz == 0:
        return s + "Z"
    sign = "+" if d.tz > 0 else "-"
    m = abs(d.tz)
    return f"{s}{sign}{m // 60:02d}:{m % 60:02d}"


def ebv(seq: Any) -> bool:
    """Effective boolean value of a sequence (list)."""
    if not seq:
        return False
    x = seq[0]
    t = type(x)
    if t is Node or t is Attr or t is Doc:
        return True
    if len(seq) > 1:
        raise XPathError("FORG0006", "effective boolean value of a sequence of atomic values")
    if t is bool:
        return x  # type: ignore[no-any-return]
    if t is str or t is UA:
        return len(x) > 0
    if t is int or t is Decimal:
        return bool(x != 0)
    if t is float:
        return not (x == 0 or math.isnan(x))
    raise XPathError("FORG0006", "effective boolean value not defined")


_WS = re.compile(r"[ \t\n\r]+")
_DEC_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INT_RE = re.compile(r"[+-]?\d+")
_DBL_RE = re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF)|NaN")
_DATE_RE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")


def collapse(s: str) -> str:
    return s.strip(" \t\n\r")


@lru_cache(maxsize=4096)
def str_to_dec(s: str) -> Decimal:
    t = collapse(s)
    if not _DEC_RE.fullmatch(t):
        raise XPathError("FORG0001", f"cannot convert {s!r} to xs:decimal")
    return Decimal(t)


@lru_cache(maxsize=4096)
def str_to_dbl(s: str) -> float:
    t = collapse(s)
    if not _DBL_RE.fullmatch(t):
        raise XPathError("FORG0001", f"cannot convert {s!r} to xs:double")
    if t.endswith("INF"):
        return -math.inf if t.startswith("-") else math.inf
    if t == "NaN":
        return math.nan
    return float(t)


def str_to_int(s: str) -> int:
    t = collapse(s)
    if not _INT_RE.fullmatch(t):
        raise XPathError("FORG0001", f"cannot convert {s!r} to xs:integer")
    return int(t)


def str_to_bool(s: str) -> bool:
    t = collapse(s)
    if t in ("true", "1"):
        return True
    if t in ("false", "0"):
        return False
    raise XPathError("FORG0001", f"cannot convert {s!r} to xs:boolean")


@lru_cache(maxsize=1024)
def str_to_date(s: str) -> XDate:
    import datetime

    t = collapse(s)
    m = _DATE_RE.fullmatch(t)
    if m is None:
        raise XPathError("FORG0001", f"cannot convert {s!r} to xs:date")
    y, mo, d, tz = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
    try:
        day = datetime.date(y, mo, d).toordinal()
    except ValueError as exc:
        raise XPathError("FORG0001", f"invalid date {s!r}") from exc
    tzm: int | None = None
    if tz:
        if tz == "Z":
            tzm = 0
        else:
            hh, mm = int(tz[1:3]), int(tz[4:6])
            if hh > 14 or mm > 59:
                raise XPathError("FORG0001", f"invalid timezone {s!r}")
            tzm = (hh * 60 + mm) * (1 if tz[0] == "+" else -1)
    return XDate(day, tzm)


def to_dbl(x: Any) -> float:
    """Numeric promotion / untypedAtomic cast for arithmetic and comparison."""
    t = type(x)
    if t is float:
        return x  # type: ignore[no-any-return]
    if t is UA:
        return str_to_dbl(x)
    if t is int or t is Decimal:
        return float(x)
    raise XPathError("XPTY0004", f"not a number: {x!r}")


def cast_dec(x: Any) -> Decimal:
    t = type(x)
    if t is Decimal:
        return x  # type: ignore[no-any-return]
    if t is UA or t is str:
        return str_to_dec(x)
    if t is int:
        return Decimal(x)
    if t is bool:
        return Decimal(1 if x else 0)
    if t is float:
        if math.isnan(x) or math.isinf(x):
            raise XPathError("FOCA0002", "cannot convert NaN/INF to xs:decimal")
        # the exact binary value, as Saxon converts (xs:decimal(0.1e0) is 0.1000000000000000055…)
        return Decimal(x)
    raise XPathError("XPTY0004", f"cannot cast {x!r} to xs:decimal")


def cast_dbl(x: Any) -> float:
    t = type(x)
    if t is UA or t is str:
        return str_to_dbl(x)
    if t is bool:
        return 1.0 if x else 0.0
    if t in (int, Decimal, float):
        return float(x)
    raise XPathError("XPTY0004", f"cannot cast {x!r} to xs:double")


def cast_int(x: Any) -> int:
    t = type(x)
    if t is int:
        return x  # type: ignore[no-any-return]
    if t is UA or t is str:
        return str_to_int(x)
    if t is bool:
        return 1 if x else 0
    if t is Decimal:
        return int(x)
    if t is float:
        if math.isnan(x) or math.isinf(x):
            raise XPathError("FOCA0002", "cannot convert NaN/INF to xs:integer")
        return int(x)
    raise XPathError("XPTY0004", f"cannot cast {x!r} to xs:integer")


def cast_str(x: Any) -> str:
    return str(string_of(x))


def cast_bool(x: Any) -> bool:
    t = type(x)
    if t is bool:
        return x  # type: ignore[no-any-return]
    if t is UA or t is str:
        return str_to_bool(x)
    if t in (int, Decimal):
        return x != 0  # type: ignore[no-any-return]
    if t is float:
        return not (x == 0 or math.isnan(x))
    raise XPathError("XPTY0004", f"cannot cast {x!r} to xs:boolean")


def cast_date(x: Any) -> XDate:
    t = type(x)
    if t is XDate:
        return x  # type: ignore[no-any-return]
    if t is UA or t is str:
        return str_to_date(x)
    raise XPathError("XPTY0004", f"cannot cast {x!r} to xs:date")


CASTS: dict[str, Callable[[Any], Any]] = {
    "decimal": cast_dec,
    "double": cast_dbl,
    "float": cast_dbl,
    "integer": cast_int,
    "int": cast_int,
    "string": cast_str,
    "boolean": cast_bool,
    "date": cast_date,
    "untypedAtomic": lambda x: UA(string_of(x)),
}


def cast_opt(kind: str, seq: Sequence[Any]) -> list[Any]:
    """``xs:T(seq)`` / ``seq cast as xs:T?``: empty → empty."""
    if not seq:
        return []
    if len(seq) > 1:
        raise XPathError("XPTY0004", f"cannot cast a sequence of {len(seq)} items")
    return [CASTS[kind](atom(seq[0]))]


def castable(kind: str, seq: Sequence[Any], opt: bool) -> bool:
    if not seq:
        return opt
    if len(seq) > 1:
        return False
    try:
        CASTS[kind](atom(seq[0]))
    except XPathError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# comparisons

_NUM = (int, Decimal, float)


def _cmp_op(op: str, a: Any, b: Any) -> bool:
    if op == "=":
        return a == b  # type: ignore[no-any-return]
    if op == "!=":
        return a != b  # type: ignore[no-any-return]
    if op == "<":
        return a < b  # type: ignore[no-any-return]
    if op == "<=":
        return a <= b  # type: ignore[no-any-return]
    if op == ">":
        return a > b  # type: ignore[no-any-return]
    return a >= b  # type: ignore[no-any-return]


_VOP = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _num_pair(a: Any, b: Any) -> tuple[Any, Any]:
    ta, tb = type(a), type(b)
    if ta is float or tb is float:
        return float(a), float(b)
    if ta is Decimal or tb is Decimal:
        return Decimal(a) if ta is int else a, Decimal(b) if tb is int else b
    return a, b


_PYCMP: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare_atoms(op: str, a: Any, b: Any) -> bool:
    """Value comparison of two atomic values after the general-comparison conversions."""
    ta, tb = type(a), type(b)
    if ta is tb and ta is not XDate:
        # same type: Python's comparison is XPath's (NaN included; untypedAtomic as strings)
        return _PYCMP[op](a, b)
    if ta is UA and tb is UA:
        return _cmp_op(op, str(a), str(b))
    if ta is UA:
        if tb in _NUM and tb is not bool:
            a = str_to_dbl(a)
            ta = float
        elif tb is bool:
            a = str_to_bool(a)
            ta = bool
        elif tb is XDate:
            a = str_to_date(a)
            ta = XDate
        else:
            a = str(a)
            ta = str
    if tb is UA:
        if ta in _NUM and ta is not bool:
            b = str_to_dbl(b)
            tb = float
        elif ta is bool:
            b = str_to_bool(b)
            tb = bool
        elif ta is XDate:
            b = str_to_date(b)
            tb = XDate
        else:
            b = str(b)
            tb = str
    return value_compare(op, a, b)


def value_compare(op: str, a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is tb and ta is not XDate:
        return _PYCMP[op](a, b)
    if ta is UA:
        a, ta = str(a), str
    if tb is UA:
        b, tb = str(b), str
    if ta is bool or tb is bool:
        if ta is not tb:
            raise XPathError("XPTY0004", "cannot compare xs:boolean with another type")
        return _cmp_op(op, a, b)
    if ta in _NUM and tb in _NUM:
        x, y = _num_pair(a, b)
        if type(x) is float and (math.isnan(x) or math.isnan(y)):
            return op == "!="
        return _cmp_op(op, x, y)
    if ta is str and tb is str:
        return _cmp_op(op, a, b)
    if ta is XDate and tb is XDate:
        return _cmp_op(op, a.key(), b.key())
    raise XPathError("XPTY0004", f"cannot compare {ta.__name__} with {tb.__name__}")


def gcmp(op: str, left: Sequence[Any], right: Sequence[Any]) -> bool:
    """General comparison (existential over both atomized sequences)."""
    if not left or not right:
        return False
    la = atomize(left)
    ra = atomize(right)
    for a in la:
        for b in ra:
            if compare_atoms(op, a, b):
                return True
    return False


# Saxon's evaluation order, for the precise code run after the eager code raised: the operand
# of a general comparison typed as one item is read first and, when empty, decides (false)
# without the other one being evaluated; so does the left operand of a value comparison or of
# an arithmetic operator (the empty sequence).


def gcmp_l(op: str, left: Sequence[Any], right: Callable[[], Sequence[Any]]) -> bool:
    """``left op right`` where ``left`` is typed as one item: read first."""
    if not left:
        return False
    return gcmp(op, left, right())


def gcmp_r(op: str, left: Callable[[], Sequence[Any]], right: Sequence[Any]) -> bool:
    """``left op right`` where only ``right`` is typed as one item: read first."""
    if not right:
        return False
    return gcmp(op, left(), right)


def vcmp_l(op: str, left: Sequence[Any], right: Callable[[], Sequence[Any]]) -> list[Any]:
    a = one_or_none(left)
    if a is None:
        return []
    return vcmp(op, [a], right())


def cmp_ol(f: Callable[[Any, Any], bool], xs: Sequence[Any], y: Callable[[], Any]) -> bool:
    return bool(xs) and f(xs[0], y())


def cmp_ool(
    f: Callable[[Any, Any], bool], xs: Sequence[Any], ys: Callable[[], Sequence[Any]]
) -> bool:
    if not xs:
        return False
    yv = ys()
    return bool(yv) and f(xs[0], yv[0])


def arith_ol(op: str, xs: Sequence[Any], ys: Callable[[], Sequence[Any]]) -> list[Any]:
    if not xs:
        return []
    yv = ys()
    if not yv:
        return []
    return [arith1(op, xs[0], yv[0])]


def arith_l(op: str, left: Sequence[Any], right: Callable[[], Sequence[Any]]) -> list[Any]:
    a = one_or_none(left)
    if a is None:
        return []
    return arith(op, [a], right())


def vcmp(op: str, left: Sequence[Any], right: Sequence[Any]) -> list[Any]:
    """Value comparison: empty if either side is empty."""
    a = one_or_none(left)
    b = one_or_none(right)
    if a is None or b is None:
        return []
    return [value_compare(_VOP[op], a, b)]


# --------------------------------------------------------------------------------------------
# arithmetic


def _arith_operand(x: Any) -> Any:
    t = type(x)
    if t is UA:
        return str_to_dbl(x)
    if t is bool or t not in _NUM:
        raise XPathError("XPTY0004", f"arithmetic on {t.__name__}")
    return x


def _quantize(a: Decimal, exp: Decimal, rounding: str) -> Decimal:
    try:
        return a.quantize(exp, rounding=rounding, context=_DEC)
    except InvalidOperation:
        # more digits than _DEC holds (a hostile or absurd amount): quantize exactly rather
        # than crash, as Saxon's unbounded xs:decimal does
        return a.quantize(exp, rounding=rounding, context=Context(prec=MAX_PREC, Emax=MAX_EMAX))


_Q18 = Decimal(1).scaleb(-18)


def dec_div(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise XPathError("FOAR0001", "decimal division by zero")
    xa, xb = a.as_tuple().exponent, b.as_tuple().exponent
    ea = -xa if isinstance(xa, int) else 0
    eb = -xb if isinstance(xb, int) else 0
    q = _DEC.divide(a, b)
    if ea <= 18 and eb <= 18:
        return _quantize(q, _Q18, ROUND_HALF_DOWN)
    return _quantize(q, Decimal(1).scaleb(-max(ea, eb)), ROUND_HALF_DOWN)


def dec_div2(a: Any, b: Any) -> Decimal:
    """``a div b`` for xs:integer / xs:decimal operands (int or Decimal)."""
    if type(a) is int and type(b) is int:
        if b == 0:
            raise XPathError("FOAR0001", "decimal division by zero")
        if a % b == 0:
            return Decimal(a // b)
        return dec_div(Decimal(a), Decimal(b))
    return dec_div(a if type(a) is Decimal else Decimal(a), b if type(b) is Decimal else Decimal(b))


def sum_dec(xs: Sequence[Any]) -> Any:
    """``sum()`` of xs:integer / xs:decimal values (ints and Decimals): 0 when empty."""
    if not xs:
        return 0
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def arith_o(op: str, xs: Sequence[Any], ys: Sequence[Any]) -> list[Any]:
    """Arithmetic on two optional decimals (lists of at most one int or Decimal)."""
    if not xs or not ys:
        return []
    return [arith1(op, xs[0], ys[0])]


def round_o(xs: Sequence[Any]) -> list[Any]:
    return [round1(xs[0])] if xs else []


def abs_o(xs: Sequence[Any]) -> list[Any]:
    return [abs(xs[0])] if xs else []


EQ, NE, LT, LE, GT, GE = (
    operator.eq,
    operator.ne,
    operator.lt,
    operator.le,
    operator.gt,
    operator.ge,
)


def cmp_o(f: Callable[[Any, Any], bool], xs: Sequence[Any], y: Any) -> bool:
    """General comparison of an optional decimal with a decimal."""
    return bool(xs) and f(xs[0], y)


def cmp_oo(f: Callable[[Any, Any], bool], xs: Sequence[Any], ys: Sequence[Any]) -> bool:
    return bool(xs) and bool(ys) and f(xs[0], ys[0])


def arith(op: str, left: Sequence[Any], right: Sequence[Any]) -> list[Any]:
    a = one_or_none(left)
    b = one_or_none(right)
    if a is None or b is None:
        return []
    return [arith1(op, _arith_operand(a), _arith_operand(b))]


#: + - * on xs:decimal values: exact with the thread's decimal context, which
#: :func:`decimal_context` sets to 200 digits while compiled rules run
_DEC_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


def decimal_context() -> Any:
    """The decimal context compiled rules run in (``with runtime.decimal_context():``)."""
    import decimal

    return decimal.localcontext(_DEC)


def arith1(op: str, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if (ta is Decimal and (tb is Decimal or tb is int)) or (ta is int and tb is Decimal):
        f = _DEC_OPS.get(op)
        if f is not None and getcontext().prec >= _DEC.prec:
            return f(a, b)
    if ta is float or tb is float:
        x, y = float(a), float(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "div":
            if y == 0:
                if x == 0 or math.isnan(x):
                    return math.nan
                return math.copysign(math.inf, x) * math.copysign(1, y)
            return x / y
        if op == "mod":
            if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
                return math.nan
            if math.isinf(y):
                return x
            return math.fmod(x, y)
        if op == "idiv":
            if y == 0:
                raise XPathError("FOAR0001", "integer division by zero")
            return int(x / y)
    if ta is int and tb is int:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "div":
            return dec_div(Decimal(a), Decimal(b))
        if op == "mod":
            if b == 0:
                raise XPathError("FOAR0001", "modulo by zero")
            r = abs(a) % abs(b)
            return r if a >= 0 else -r
        if op == "idiv":
            if b == 0:
                raise XPathError("FOAR0001", "integer division by zero")
            q = abs(a) // abs(b)
            return q if (a >= 0) == (b >= 0) else -q
    dx: Decimal = a if ta is Decimal else Decimal(a)
    dy: Decimal = b if tb is Decimal else Decimal(b)
    if op == "+":
        return _DEC.add(dx, dy)
    if op == "-":
        return _DEC.subtract(dx, dy)
    if op == "*":
        return _DEC.multiply(dx, dy)
    if op == "div":
        return dec_div(dx, dy)
    if op == "mod":
        if dy == 0:
            raise XPathError("FOAR0001", "modulo by zero")
        return _DEC.remainder(dx, dy)
    if op == "idiv":
        if dy == 0:
            raise XPathError("FOAR0001", "integer division by zero")
        return int(_DEC.divide_int(dx, dy))
    raise XPathError("XPST0003", op)


def negate(seq: Sequence[Any]) -> list[Any]:
    a = one_or_none(seq)
    if a is None:
        return []
    a = _arith_operand(a)
    return [-a]


# --------------------------------------------------------------------------------------------
# functions


def fn_sum(seq: Sequence[Any]) -> Any:
    if not seq:
        return 0
    vals = [_arith_operand(atom(x)) for x in seq]
    total = vals[0]
    for v in vals[1:]:
        total = arith1("+", total, v)
    return total


def fn_round(seq: Sequence[Any]) -> list[Any]:
    a = one_or_none(seq)
    if a is None:
        return []
    a = _arith_operand(a)
    return [round1(a)]


def round1(a: Any) -> Any:
    t = type(a)
    if t is int:
        return a
    if t is Decimal:
        try:
            return a.to_integral_value(rounding=ROUND_HALF_UP if a >= 0 else ROUND_HALF_DOWN)
        except InvalidOperation:
            return _quantize(a, Decimal(1), ROUND_HALF_UP if a >= 0 else ROUND_HALF_DOWN)
    if math.isnan(a) or math.isinf(a):
        return a
    if a == 0:
        return a
    r = math.floor(a + 0.5)
    if r == 0 and a < 0:
        return -0.0
    return float(r)


def fn_abs(seq: Sequence[Any]) -> list[Any]:
    a = one_or_none(seq)
    if a is None:
        return []
    return [abs(_arith_operand(a))]


def fn_floor(seq: Sequence[Any]) -> list[Any]:
    a = one_or_none(seq)
    if a is None:
        return []
    a = _arith_operand(a)
    if type(a) is Decimal:
        return [_quantize(a, Decimal(1), ROUND_FLOOR)]
    if type(a) is float:
        return [float(math.floor(a))] if not (math.isnan(a) or math.isinf(a)) else [a]
    return [a]


def fn_number(seq: Sequence[Any]) -> float:
    if not seq:
        return math.nan
    x = atom(seq[0]) if len(seq) == 1 else None
    if x is None:
        raise XPathError("XPTY0004", "number() of a sequence")
    try:
        return cast_dbl(x)
    except XPathError:
        return math.nan


def norm_ws(s: str) -> str:
    if s.isascii():
        # str.split() also splits on \v \f and \x1c-\x1f, which XML text cannot hold
        return " ".join(s.split())
    return _WS.sub(" ", s).strip(" ")


def substring(s: str, start: Any, length: Any = None) -> str:
    st = round1(to_dbl(start)) if type(start) is not int else start
    if length is None:
        if type(st) is float and math.isnan(st):
            return ""
        b = max(st, 1)
        if type(b) is float and math.isinf(b):
            return ""
        return s[int(b) - 1 :] if b <= len(s) + 1 else ""
    ln = round1(to_dbl(length)) if type(length) is not int else length
    end = st + ln
    if type(end) is float and math.isnan(end):
        return ""
    b = max(st, 1)
    if type(b) is float and (math.isnan(b) or math.isinf(b)):
        return ""
    e = end
    if type(e) is float and math.isinf(e):
        e = len(s) + 1 if e > 0 else 0
    if e <= b:
        return ""
    return s[int(b) - 1 : int(e) - 1]


def xsd_regex(pattern: str, flags: str = "") -> re.Pattern[str]:
    return _compile_regex(pattern, flags)


@lru_cache(maxsize=512)
def _compile_regex(pattern: str, flags: str) -> re.Pattern[str]:
    """An XPath regular expression as a Python one (the subset the artefacts use)."""
    out = []
    i = 0
    n = len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "i":
                out.append("[A-Za-z_:]")
            elif nxt == "c":
                out.append(r"[-.0-9A-Za-z_:]")
            elif nxt == "d":
                out.append("[0-9]" if not in_class else "0-9")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "$" and not in_class:
            out.append(r"(?:$(?![\s\S]))" if "m" not in flags else "$")
            i += 1
            continue
        out.append(c)
        i += 1
    fl = 0
    if "i" in flags:
        fl |= re.IGNORECASE
    if "s" in flags:
        fl |= re.DOTALL
    if "m" in flags:
        fl |= re.MULTILINE
    if "x" in flags:
        fl |= re.VERBOSE
    try:
        return re.compile("".join(out), fl)
    except re.error as exc:
        raise XPathError("FORX0002", f"invalid regular expression {pattern!r}") from exc


def matches(s: str, pattern: str, flags: str = "") -> bool:
    return xsd_regex(pattern, flags).search(s) is not None


def replace(s: str, pattern: str, repl: str, flags: str = "") -> str:
    rx = xsd_regex(pattern, flags)
    if rx.match(""):
        raise XPathError("FORX0003", "regular expression matches the empty string")
    return rx.sub(replacement(repl), s)


def replacement(repl: str) -> str:
    """An XPath replacement string (``$1``, ``\\$``) as a Python ``re.sub`` template."""
    return re.sub(r"\\(.)|\$(\d)", lambda m: m.group(1) or "\\" + m.group(2), repl)


def tokenize(s: str, pattern: str, flags: str = "") -> list[str]:
    if not s:
        return []
    rx = xsd_regex(pattern, flags)
    if rx.match(""):
        raise XPathError("FORX0003", "regular expression matches the empty string")
    return rx.split(s)


def translate(s: str, src: str, dst: str) -> str:
    table: dict[int, int | None] = {}
    for i, ch in enumerate(src):
        if ord(ch) in table:
            continue
        table[ord(ch)] = ord(dst[i]) if i < len(dst) else None
    return s.translate(table)


def distinct_values(seq: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    keys: set[Any] = set()
    for x in atomize(seq):
        t = type(x)
        if t is UA:
            k: Any = ("s", str(x))
        elif t is str:
            k = ("s", x)
        elif t in (int, Decimal, float) and t is not bool:
            if t is float and math.isnan(x):
                k = ("nan",)
            else:
                k = ("n", Decimal(x) if t is not float else Decimal(repr(x)))
        else:
            k = (t.__name__, x)
        if k not in keys:
            keys.add(k)
            out.append(x)
    return out


def node_name(seq: Sequence[Any]) -> str:
    if not seq:
        return ""
    n = seq[0]
    if type(n) is Doc:
        return ""
    tag = n.tag
    local: str = tag.rpartition("}")[2]
    if type(n) is Attr:
        if tag.startswith("{"):
            pfx = n.parent.el.nsmap
            ns = tag[1 : tag.index("}")]
            for k, v in pfx.items():
                if v == ns and k:
                    return f"{k}:{local}"
        return local
    p = n.prefix
    return f"{p}:{local}" if p else str(local)


def local_name(seq: Sequence[Any]) -> str:
    if not seq or type(seq[0]) is Doc:
        return ""
    return seq[0].tag.rpartition("}")[2]  # type: ignore[no-any-return]


def namespace_uri(seq: Sequence[Any]) -> str:
    if not seq or type(seq[0]) is Doc:
        return ""
    tag = seq[0].tag
    return tag[1 : tag.index("}")] if tag.startswith("{") else ""


def upper(s: str) -> str:
    return s.upper()


def lower(s: str) -> str:
    return s.lower()


def str_len(s: str) -> int:
    return len(s)


def first_str(seq: Sequence[Any]) -> str:
    return str_arg(seq)


def boolean(seq: Any) -> bool:
    return ebv(seq)


def concat(*parts: str) -> str:
    return "".join(parts)


def dec_or_dbl(x: Any) -> Any:
    return x


def to_seq(x: Any) -> list[Any]:
    return x if type(x) is list else [x]


def check_items(seq: Sequence[Any]) -> Sequence[Any]:
    return seq


def union(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    for x in a:
        if not is_node(x):
            raise XPathError("XPTY0004", "union of non-nodes")
    for x in b:
        if not is_node(x):
            raise XPathError("XPTY0004", "union of non-nodes")
    return sort_nodes([*a, *b])


def intersect(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    ids = {id(x) for x in b}
    return sort_nodes([x for x in a if id(x) in ids])


def except_(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    ids = {id(x) for x in b}
    return sort_nodes([x for x in a if id(x) not in ids])


def int_range(a: Sequence[Any], b: Sequence[Any]) -> list[int]:
    x = one_or_none(a)
    y = one_or_none(b)
    if x is None or y is None:
        return []
    return list(range(cast_int(x), cast_int(y) + 1))


class Deferred:
    """A variable whose evaluation failed: the error is raised where it is used."""

    __slots__ = ("error",)

    def __init__(self, error: XPathError) -> None:
        self.error = error


def use(v: Any) -> Any:
    if type(v) is Deferred:
        raise v.error
    return v


def sv(n: Any) -> str:
    return n.sv  # type: ignore[no-any-return]


EMPTY: list[Any] = []
#: "no value" for the caches of the generated code
MISS = object()


def is_nan(x: Any) -> bool:
    return type(x) is float and math.isnan(x)


def parse_number_literal(s: str) -> Any:
    try:
        return Decimal(s)
    except InvalidOperation:
        return float(s)


# --------------------------------------------------------------------------------------------
# helpers the generated code calls


class Text:
    """A text node (only built on demand for the rare ``text()`` step)."""

    __slots__ = ("parent", "pos", "sv")

    tag = None
    kids: ClassVar[list[Node]] = []
    by: ClassVar[dict[str, list[Node]]] = {}
    anodes: ClassVar[list[Attr]] = []
    attrs: ClassVar[dict[str, Attr]] = {}
    prefix = None

    def __init__(self, parent: Node, value: str, pos: float) -> None:
        self.parent = parent
        self.sv = value
        self.pos = pos


NODE_TYPES = (Node, Attr, Doc, Text)


def text_nodes(n: Any) -> list[Any]:
    if type(n) is not Node:
        return []
    el = n.el
    out = []
    if el.text:
        out.append(Text(n, el.text, n.pos + 0.5))
    for ch in el:
        if ch.tail:
            out.append(Text(n, ch.tail, n.pos + 0.5))
    return out


def attr(n: Any, name: str) -> list[Any]:
    a = n.attrs.get(name)
    return [a] if a is not None else EMPTY


def parent(n: Any) -> list[Any]:
    p = n.parent
    return [p] if p is not None else EMPTY


def ancestors_or_self(n: Any) -> list[Any]:
    return [*ancestors(n), n]


def ancestor_elements(n: Any) -> list[Any]:
    out = []
    p = n.parent
    while p is not None and type(p) is Node:
        out.append(p)
        p = p.parent
    return out


def descendants_named(n: Any, tag: str, or_self: bool) -> list[Any]:
    if type(n) is Doc:
        idx = tag_index(n)
        return idx.get(tag, EMPTY)
    if type(n) is not Node:
        return EMPTY
    out = [n] if or_self and n.tag == tag else []
    if n.kids:
        idx = tag_index(doc_of(n))
        cand = idx.get(tag)
        if cand:
            lo = n.pos
            last = n
            while last.kids:
                last = last.kids[-1]
            hi = last.pos + len(last.anodes)
            out += [m for m in cand if lo < m.pos <= hi]
    return out


def tag_index(d: Doc) -> dict[str, list[Node]]:
    return d._idx


def nth(seq: Sequence[Any], k: int) -> list[Any]:
    return [seq[k - 1]] if 0 < k <= len(seq) else EMPTY


def nth_rev(seq: Sequence[Any], k: int) -> list[Any]:
    return [seq[-k]] if 0 < k <= len(seq) else EMPTY


def pos_filter(seq: Sequence[Any], f: Callable[[Any], Any]) -> list[Any]:
    out = []
    for i, x in enumerate(seq, 1):
        v = f(x)
        if value_compare("=", v, i):
            out.append(x)
    return out


def pred_filter(seq: Sequence[Any], f: Callable[[Any], Any]) -> list[Any]:
    out = []
    for i, x in enumerate(seq, 1):
        v = f(x)
        if len(v) == 1 and type(v[0]) in (int, Decimal, float):
            if value_compare("=", v[0], i):
                out.append(x)
        elif ebv(v):
            out.append(x)
    return out


def require_node(x: Any) -> list[Any]:
    raise XPathError("XPTY0020", "axis step from an atomic value")


def require_nodes(seq: Sequence[Any]) -> Sequence[Any]:
    for x in seq:
        if type(x) not in NODE_TYPES:
            raise XPathError("XPTY0019", "path step from an atomic value")
    return seq


def path_map(seq: Sequence[Any], f: Callable[[Any], Any]) -> list[Any]:
    out: list[Any] = []
    nodes = atoms = False
    for x in seq:
        r = f(x)
        if type(r) is not list:
            r = [r]
        for y in r:
            if type(y) in NODE_TYPES:
                nodes = True
            else:
                atoms = True
            out.append(y)
    if nodes and atoms:
        raise XPathError("XPTY0018", "path mixes nodes and atomic values")
    if nodes:
        return sort_nodes(out)
    return out


def node_is(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    if not a or not b:
        return EMPTY
    return [a[0] is b[0]]


_XS = "{http://www.w3.org/2001/XMLSchema}"


def instance_of(typ: str, occ: str, seq: Sequence[Any]) -> bool:
    n = len(seq)
    if n == 0:
        return occ in ("?", "*")
    if n > 1 and occ not in ("+", "*"):
        return False
    checks: dict[str, Callable[[Any], bool]] = {
        _XS + "string": lambda x: type(x) is str,
        _XS + "decimal": lambda x: type(x) in (int, Decimal),
        _XS + "integer": lambda x: type(x) is int,
        _XS + "double": lambda x: type(x) is float,
        _XS + "boolean": lambda x: type(x) is bool,
        _XS + "date": lambda x: type(x) is XDate,
        "node": lambda x: type(x) in NODE_TYPES,
        "element": lambda x: type(x) is Node,
        "item": lambda x: True,
    }
    f = checks.get(typ)
    if f is None:
        raise XPathError("XPST0051", f"unknown type {typ}")
    return all(f(x) for x in seq)


def string_param(seq: Sequence[Any], optional: bool) -> str:
    if not seq:
        if optional:
            return ""
        raise XPathError("XPTY0004", "empty sequence for a required xs:string")
    if len(seq) > 1:
        raise XPathError("XPTY0004", "a sequence of more than one item for xs:string")
    x = atom(seq[0])
    if type(x) not in (str, UA):
        raise XPathError("XPTY0004", "a non-string value for xs:string")
    return str(x)


def substring_after(s: str, t: str) -> str:
    i = s.find(t)
    return "" if i < 0 else s[i + len(t) :]


def substring_before(s: str, t: str) -> str:
    i = s.find(t)
    return "" if i < 0 else s[:i]


def fn_sum2(seq: Sequence[Any], zero: Sequence[Any]) -> list[Any]:
    if not seq:
        return list(zero)
    return [fn_sum(seq)]


def any_in(seq: Sequence[Any], values: frozenset[str]) -> bool:
    return any(string_of(atom(x)) in values for x in seq)


def absent_hits(n: Any, trie: dict[str, Any], out: list[Any]) -> None:
    hits: set[int] = set()
    p = n.parent
    if p.__class__ is not Doc or not _absent_by_path(n, p, trie, hits):
        _absent_walk(n, trie, hits)
    if hits:
        for ci in sorted(hits):
            out.append((ci, n, None))


#: (id of a trie, root path id) -> (size of the path table when built, path id -> hits, trie)
_ABSENT: dict[tuple[int, int], tuple[int, dict[int, tuple[int, ...]], Any]] = {}


def _absent_by_path(n: Node, d: Doc, trie: dict[str, Any], hits: set[int]) -> bool:
    """The trie checked against the set of element paths present in the document (the
    context is the root element, so each trie path is one absolute path). False when the
    document has elements outside the path table (then the walk decides)."""
    present: set[int] | None = d.memo.get("<paths>")
    if present is None:
        present = d.memo["<paths>"] = {e.pid for e in d.elems}
    if -1 in present:
        return False
    key = (id(trie), n.pid)
    got = _ABSENT.get(key)
    # a table built before one of this document's paths existed may miss it: build again
    if got is None or got[2] is not trie or max(present) >= got[0]:
        table: dict[int, tuple[int, ...]] = {}

        def rec(t: dict[str, Any], ppid: int) -> None:
            for tag, (h, sub) in t.items():
                pid = _PATHS.get((ppid, tag))
                if pid is None:
                    continue  # no document has had an element there
                if h:
                    table[pid] = tuple(h)
                if sub:
                    rec(sub, pid)

        rec(trie, n.pid)
        got = _ABSENT[key] = (len(PATH_OF), table, trie)
    table = got[1]
    for pid in present:
        h = table.get(pid)
        if h:
            hits.update(h)
    return True


def _absent_walk(n: Any, trie: dict[str, Any], hits: set[int]) -> None:
    # by the names present (each name once, however many elements carry it)
    for tag, kids in n.by.items():
        e = trie.get(tag)
        if e is not None:
            h, sub = e
            if h:
                hits.update(h)
            if sub:
                for c in kids:
                    if c.by:
                        _absent_walk(c, sub, hits)


def sibling_position(n: Any) -> int:
    p = n.parent
    if p is None or type(n) is Attr:
        return 1
    return int(p.by[n.tag].index(n)) + 1


class Lazy:
    """A value computed on first use (a ``for`` clause over exactly one item)."""

    __slots__ = ("f", "v")

    def __init__(self, f: Callable[[], Any]) -> None:
        self.f: Callable[[], Any] | None = f
        self.v: Any = None

    def get(self) -> Any:
        f = self.f
        if f is not None:
            self.v = f()
            self.f = None
        return self.v


def attr_index(d: Doc) -> dict[str, list[Attr]]:
    """The document's attribute nodes by name, in document order (built once)."""
    idx = d._aidx
    if idx is None:
        idx = {}
        for m in d.elems:
            for a in m.anodes:
                lst = idx.get(a.tag)
                if lst is None:
                    idx[a.tag] = [a]
                else:
                    lst.append(a)
        d._aidx = idx
    return idx
