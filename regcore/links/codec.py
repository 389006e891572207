"""The one link codec: a config (and a page's own settings) as a URL query string.

A link holds ``data.name`` and the fields that differ from *that data set's* defaults
in ``regcore.core.catalog`` (``dataset_config``), so ``?data.name=moons`` means the same
run in the app, in a notebook and on the command line. Lists are comma-separated and
None is ``null``. ``from_query`` reads a link through the same validation as any
config, so a hand-edited link gets the same field-naming messages; ``read_link``
keeps every usable field of a partly bad link and names the ones it leaves out.
``data.path`` never travels in a link (LINK_FORBIDDEN): a link cannot name a file.

A page adds its own settings under its own prefix, as the scheme it registers says
(``regcore.links.scheme``); ``from_query`` checks them and returns the run config alone,
written over the base config the link's page starts from. This module names no page.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from regcore.core import (
    BOUNDS,
    CATALOG,
    INT_FIELDS,
    LINK_FORBIDDEN,
    NULLABLE,
    TooLargeError,
    TrainConfig,
    default_flat,
    ineffective,
    range_words,
)
from regcore.links.scheme import SCHEMES, decode_setting, encode_value, scheme_of

Query = str | Mapping[str, str]
MAX_LINK_FIELDS = 200  # a hostile link with thousands of keys is refused, not parsed


def dataset_config(name: str) -> TrainConfig:
    """The starting config of data set ``name``: its catalog defaults over TrainConfig's."""
    if name not in CATALOG:
        raise ValueError(f"data.name = {name!r} is not allowed: choose one of {', '.join(CATALOG)}")
    return TrainConfig().replace(**{"data.name": name, **CATALOG[name].defaults})


def start_config(params: Mapping[str, str]) -> TrainConfig:
    """What a link's fields are written over: the base config of the first registered page
    scheme that claims the link (``LinkSettings.start``), else its data set's defaults."""
    for scheme in SCHEMES.values():
        start = scheme.start(params)
        if start is not None:
            return start
    return dataset_config(params.get("data.name", "linear"))


def to_query(cfg: TrainConfig, page: Mapping[str, str] | None = None) -> str:
    """A short URL query string: ``data.name`` and the fields that differ from that data
    set's defaults, then a page's own settings ``page`` (``LinkSettings.to_params``)."""
    return urllib.parse.urlencode(list(link_params(cfg, page).items()))


def link_params(cfg: TrainConfig, page: Mapping[str, str] | None = None) -> dict[str, str]:
    """:func:`to_query` as a dict of strings (what ``st.query_params`` holds)."""
    start = start_config({"data.name": cfg.data.name, **(page or {})})
    mine, base, default = cfg.flat(), start.flat(), default_flat()
    implied = start_config(dict(page or {})).data.name  # what a link without data.name means
    out = {"data.name": cfg.data.name} if cfg.data.name != implied else {}
    for key, value in mine.items():
        if value == base[key] or key in LINK_FORBIDDEN or key == "data.name":
            continue
        if value == default[key] and _moot(key, {**mine, key: base[key]}):
            continue  # from_query drops the data set's moot default by itself
        out[key] = encode_value(value)
    out.update(page or {})
    return out


def _moot(key: str, values: Mapping[str, Any]) -> bool:
    return any(k == key for k, _ in ineffective(values, default_flat()))


def params_of(query: Query) -> dict[str, str]:
    """A link as ``{key: text}`` (the last of repeated keys); refused when too long."""
    if isinstance(query, str):
        pairs = urllib.parse.parse_qsl(query.lstrip("?"))
    else:
        pairs = [(str(k), v if isinstance(v, str) else _last(v)) for k, v in query.items()]
    if len(pairs) > MAX_LINK_FIELDS:
        raise ValueError(f"the link has {len(pairs)} fields: allowed at most {MAX_LINK_FIELDS}")
    return dict(pairs)


def _last(v: Any) -> str:
    return str(v[-1]) if isinstance(v, list | tuple) and v else str(v)


def is_page_key(key: str) -> bool:
    """Whether ``key`` is a page's own setting (a registered scheme's), not a config field."""
    return scheme_of(key) is not None


def from_query(query: Query) -> TrainConfig:
    """The config of a link written by :func:`to_query` (or by hand).

    The link's data set's defaults come first, then its fields. A page's own settings
    (``LinkSettings.keys`` of a registered scheme) are checked and left out of the config.

    Raises:
        ValueError: naming the first bad field and what is allowed.
    """
    params = params_of(query)
    name = params.get("data.name", "linear")
    if name not in CATALOG:
        raise ValueError(
            f"data.name = {name[:40]!r} in the link is not allowed: choose one of "
            f"{', '.join(CATALOG)}"
        )
    default = default_flat()
    values = start_config(params).flat()
    for key, text in params.items():
        if is_page_key(key):
            decode_setting(key, text)
            continue
        if key not in default:
            raise ValueError(f"unknown field {key[:60]} in the link")
        if key in LINK_FORBIDDEN:
            raise ValueError(f"{key} cannot come from a link: upload the file on the page")
        values[key] = _decode(key, str(text), default[key])
    # a data set's default that the link's own fields make moot (hidden widths once the
    # link says model.kind = linear) is dropped; a moot field the link names is refused
    _check_pages(params)
    given = {k for k in params if k in default}
    for key, _ in ineffective(values, default):
        if key not in given:
            values[key] = default[key]
    return TrainConfig.from_flat(values)


def _check_pages(params: Mapping[str, str]) -> None:
    """Settings of a page that are valid alone but not together (λ range upside down)."""
    for scheme in SCHEMES.values():
        if scheme.in_link(params):
            _, problems = scheme.from_params(params)
            if problems:
                raise ValueError(problems[-1])


@dataclass(frozen=True)
class LinkReading:
    """What a possibly bad link gives: the config of its usable fields and the problems."""

    config: TrainConfig | None  # None when not even the data set could be used
    kept: dict[str, str] = field(default_factory=dict)  # the fields used
    problems: list[str] = field(default_factory=list)  # one message per field left out
    too_large: TooLargeError | None = None  # the refusal of a run over the work cap


def read_link(query: Query) -> LinkReading:
    """The config of a link, keeping every field that is valid when one is not.

    Each bad or hostile field is named in ``problems`` and dropped; the rest is kept.
    """
    try:
        params = params_of(query)
    except ValueError as exc:
        return LinkReading(None, {}, [str(exc)])
    try:
        return LinkReading(from_query(params), dict(params), [])
    except TooLargeError as exc:  # the real reason, never a smaller run the link did not ask
        return LinkReading(None, {}, [str(exc)], too_large=exc)
    except ValueError as exc:
        whole = str(exc)
    kept: dict[str, str] = {}
    if "data.name" in params:  # the data set first: the other fields' defaults follow it
        try:
            from_query({"data.name": params["data.name"]})
            kept["data.name"] = params["data.name"]
        except ValueError:
            pass
    waiting = [k for k in params if k not in kept]
    added = True
    while added:  # a field refused alone may fit beside others (model.kind with its hidden)
        added = False
        sections = {
            k.split(".")[0]: [w for w in waiting if w.split(".")[0] == k.split(".")[0]]
            for k in waiting
        }
        for group in [[k] for k in waiting] + [g for g in sections.values() if len(g) > 1]:
            if not set(group) <= set(waiting):
                continue
            try:
                from_query({**kept, **{k: params[k] for k in group}})
            except ValueError:
                continue
            kept.update({k: params[k] for k in group})
            waiting = [w for w in waiting if w not in group]
            added = True
    problems: list[str] = []
    for k in waiting:
        try:
            from_query({**kept, k: params[k]})
        except ValueError as exc:
            problems.append(str(exc))
    try:
        return LinkReading(from_query(kept), kept, problems or [whole])
    except ValueError:  # fields valid alone but not together
        return LinkReading(None, {}, [whole])


def _decode(key: str, text: str, like: Any) -> Any:
    if text == "null" and key in NULLABLE:
        return None
    try:
        if isinstance(like, bool):
            if text not in ("true", "false"):
                raise ValueError
            return text == "true"
        if isinstance(like, list):
            return [int(v) for v in text.strip("[] ").split(",") if v.strip()]
        if key in INT_FIELDS:
            return int(text)
        if isinstance(like, float) or key in BOUNDS:
            return float(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise ValueError(
            f"{key} = {shown!r} in the link is not valid: {_allowed(key, like)}"
        ) from None
    return text


def _allowed(key: str, like: Any) -> str:
    """What a link may give for ``key``, in words."""
    if isinstance(like, bool):
        return "use true or false"
    if key in BOUNDS:
        kind = "whole numbers" if key in INT_FIELDS else "numbers"
        each = ", comma-separated" if isinstance(like, list) else ""
        return f"allowed {kind} {range_words(key)}{each}"
    return "use a text value"
