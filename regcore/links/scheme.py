"""Pages' own link settings: the registry of page schemes and the one value encoder.

A page's scheme is a frozen dataclass deriving :class:`LinkSettings`: its ``prefix``
(``sweep``), its ``keys`` (each with its type and bounds, :class:`Key`), its defaults
(the dataclass's field defaults), its check (``__post_init__``, for settings valid alone
but not together) and, where its links are written relative to a config of its own, its
``start``. Decorated with :func:`register`, it is one the codec (``regcore.links.codec``)
reads, checks and writes; the codec itself names no page.

    @register
    @dataclass(frozen=True, kw_only=True)
    class ToySettings(LinkSettings):
        prefix: ClassVar[str] = "toy"
        keys: ClassVar[Mapping[str, Key]] = {"n": Key("int", 1, 9)}
        n: int = 3  # ?toy.n=5
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self, TypeVar

from regcore.core import CHOICES, TrainConfig, default_flat

KINDS = ("float", "int", "bool", "choice", "kinds", "choices", "floats")
MOST_FLOATS = len(CHOICES["reg.kind"])  # a list of numbers: at most one per regularizer
MOST_CHOICES = 4  # a list of choices: one to four entries


def encode_value(value: Any) -> str:
    """A value as a link writes it: lists comma-separated, None as null, floats as repr."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(encode_value(v) for v in value)
    return repr(float(value)) if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Key:
    """One setting of a page's link: its type and what it admits.

    ``kind``: ``float`` and ``int`` within ``[lo, hi]``; ``bool``; ``choice``, one of
    ``lo``; ``kinds``, distinct values of ``lo``; ``choices``, one to ``most`` values of
    ``lo`` (repeats allowed); ``floats``, one to ``most`` numbers within ``[lo, hi]``.
    """

    kind: str
    lo: Any = None  # low bound, or the allowed values
    hi: Any = None  # high bound
    most: int | None = None  # list kinds: the most entries (default MOST_*)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Key kind {self.kind!r} is not one of {', '.join(KINDS)}")

    def decode(self, name: str, text: str) -> Any:
        """The value of setting ``name`` written as ``text`` in a link.

        Raises:
            ValueError: naming the setting, the value and what is allowed.
        """
        shown = repr(text if len(text) <= 40 else text[:39] + "…")
        bad = f"{name} = {shown} in the link is not valid"
        if self.kind == "bool":
            if text not in ("true", "false"):
                raise ValueError(f"{bad}: use true or false")
            return text == "true"
        if self.kind == "choice":
            if text not in self.lo:
                raise ValueError(
                    f"{name} = {shown} in the link is not allowed: choose one of "
                    f"{', '.join(self.lo)}"
                )
            return text
        if self.kind == "choices":
            parts, most = text.split(","), self.most or MOST_CHOICES
            if not 1 <= len(parts) <= most or any(p not in self.lo for p in parts):
                raise ValueError(
                    f"{bad}: one to {_words(most)} comma-separated values from {', '.join(self.lo)}"
                )
            return parts
        if self.kind == "kinds":
            parts = [p for p in text.split(",") if p]
            if (
                any(p not in self.lo for p in parts)
                or len(parts) != len(set(parts))
                or len(parts) > len(self.lo)
            ):
                raise ValueError(
                    f"{bad}: a comma-separated list of distinct regularizers from "
                    f"{', '.join(self.lo)}"
                )
            return parts
        return self._number(bad, text)

    def _number(self, bad: str, text: str) -> Any:
        many = self.kind == "floats"
        try:
            values = [float(p) for p in text.split(",")] if many else [float(text)]
        except ValueError:
            values = [math.nan]
        whole = self.kind == "int"
        lo, hi = self.lo, self.hi
        if (
            not values
            or any(
                not math.isfinite(v) or v < lo or v > hi or (whole and not v.is_integer())
                for v in values
            )
            or len(values) > (self.most or MOST_FLOATS)
        ):
            what = "a whole number" if whole else "numbers" if many else "a number"
            raise ValueError(f"{bad}: allowed {what} from {lo:g} to {hi:g}")
        if many:
            return values
        return int(values[0]) if whole else values[0]


def _words(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))


class LinkSettings:
    """A page's own settings in its links; derive a frozen dataclass and :func:`register` it.

    Its fields are its link keys (short names) with their defaults; the default
    :meth:`to_params` writes the ones that differ from the defaults (and ``always``), and
    :meth:`from_params` reads them back, naming each bad one.
    """

    prefix: ClassVar[str]  # its link keys are f"{prefix}.{name}"
    keys: ClassVar[Mapping[str, Key]]  # short name -> type and bounds
    always: ClassVar[tuple[str, ...]] = ()  # written even at their default (mark the page)

    def to_params(self) -> dict[str, str]:
        """The settings as link fields: ``always`` first, then those that differ from the
        defaults, in field order."""
        base = type(self)()
        names = [f.name for f in dataclasses.fields(self)]
        out = {f"{self.prefix}.{n}": encode_value(getattr(self, n)) for n in self.always}
        for n in names:
            if n not in self.always and getattr(self, n) != getattr(base, n):
                out[f"{self.prefix}.{n}"] = encode_value(getattr(self, n))
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> tuple[Self, list[str]]:
        """The settings of a link; bad ones are named and left at their defaults.

        Returns:
            (settings, one message per setting left out).
        """
        values, problems = cls.read(params)
        tuples = {f.name for f in dataclasses.fields(cls) if isinstance(f.default, tuple)}
        values = {k: tuple(v) if k in tuples else v for k, v in values.items()}
        try:
            return cls(**values), problems
        except ValueError as exc:  # valid alone, not together
            return cls(), [*problems, str(exc)]

    @classmethod
    def read(cls, params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
        """The link's settings under this prefix, decoded by short name, and the problems."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for key, text in params.items():
            name = str(key).removeprefix(cls.prefix + ".")
            if name != key and name in cls.keys:
                try:
                    values[name] = cls.keys[name].decode(str(key), str(text))
                except ValueError as exc:
                    problems.append(str(exc))
        return values, problems

    @classmethod
    def in_link(cls, params: Mapping[str, str]) -> bool:
        """Whether a link holds any setting of this page."""
        return any(str(k).startswith(cls.prefix + ".") for k in params)

    @classmethod
    def start(cls, params: Mapping[str, str]) -> TrainConfig | None:
        """The config a link of this page is written relative to (None: its data set's
        defaults, as any link)."""
        return None

    def check_key(self, name: str) -> None:
        """Raise the link's message when field ``name`` holds a value its key refuses."""
        self.keys[name].decode(f"{self.prefix}.{name}", encode_value(getattr(self, name)))


SCHEMES: dict[str, type[LinkSettings]] = {}  # prefix -> scheme, in registration order
S = TypeVar("S", bound=type[LinkSettings])


def register(scheme: S) -> S:
    """Add a page's scheme to the links (a class decorator); returns it unchanged.

    Raises:
        ValueError: when another scheme has its prefix, or the prefix is a config section.
    """
    prefix = scheme.prefix
    if prefix in SCHEMES and SCHEMES[prefix] is not scheme:
        raise ValueError(f"link prefix {prefix!r} is taken by {SCHEMES[prefix].__name__}")
    if any(k.split(".")[0] == prefix for k in default_flat()):
        raise ValueError(f"link prefix {prefix!r} is a config section")
    SCHEMES[prefix] = scheme
    return scheme


def scheme_of(key: str) -> type[LinkSettings] | None:
    """The registered scheme that owns link key ``key`` (None: not a page setting)."""
    prefix, _, name = key.partition(".")
    scheme = SCHEMES.get(prefix)
    return scheme if scheme is not None and name in scheme.keys else None


def decode_setting(key: str, text: str) -> Any:
    """The decoded value of a page setting ``key`` of a link (see :meth:`Key.decode`)."""
    scheme = scheme_of(key)
    if scheme is None:
        raise ValueError(f"unknown field {key[:60]} in the link")
    return scheme.keys[key.partition(".")[2]].decode(key, text)
