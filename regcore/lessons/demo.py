"""Each lesson's demo as a link, and the check of an answer on the config that link opens.

A demo's link is written by the codec through its page's scheme (``regcore.links``), over
that page's own starting config, so the link opens the demo as the page itself would and
:func:`demo_config` — what the link decodes to — is what the check trains.
"""

from __future__ import annotations

from regcore.core import TrainConfig
from regcore.experiments import COMPARISONS
from regcore.lessons.checks import Verdict
from regcore.lessons.path import LESSONS, Lesson
from regcore.links import (
    DEFAULT_SET,
    TABS,
    CompareSettings,
    DropoutSettings,
    SweepSettings,
    dataset_config,
    from_query,
    link_params,
    page_config,
)

PAGE_PATHS = {  # the page files a demo opens (app.py's navigation)
    "playground": "pages/playground.py",
    "compare": "pages/compare.py",
    "sweep": "pages/sweep.py",
    "dropout": "pages/dropout.py",
}


def _lesson(key: str) -> Lesson:
    if key not in LESSONS:
        raise ValueError(f"unknown lesson {key!r}: choose one of {', '.join(LESSONS)}")
    return LESSONS[key]


def _start(lesson: Lesson) -> TrainConfig:
    """The page's starting config the lesson's changes are written over."""
    name = lesson.changes.get("data.name")
    if lesson.page == "compare":
        base = COMPARISONS[lesson.settings["mode"]].config()
        return base if name in (None, base.data.name) else dataset_config(name)
    if lesson.page == "dropout":
        return page_config(name or DEFAULT_SET)
    return dataset_config(name or "linear")


def _settings(lesson: Lesson) -> dict[str, str]:
    s = dict(lesson.settings)
    if lesson.page == "compare":
        return CompareSettings(**s).to_params()
    if lesson.page == "sweep":
        return SweepSettings(**s).to_params()
    if lesson.page == "dropout":
        return DropoutSettings(**s).to_params()
    return {}


def lesson_link(key: str) -> dict[str, str]:
    """The demo's link as query fields (``st.query_params``; ``to_query`` of the same)."""
    lesson = _lesson(key)
    cfg = _start(lesson).replace(**dict(lesson.changes))
    return link_params(cfg, _settings(lesson))


def demo_config(key: str) -> TrainConfig:
    """The config the check trains: the demo link's (for a Dropout & norm tab, the tab's
    own network at the link's tab settings)."""
    lesson, params = _lesson(key), lesson_link(key)
    if lesson.page == "dropout" and lesson.settings.get("tab", "side") != "side":
        settings, _ = DropoutSettings.from_params(params)
        tab = settings.open_tab() or TABS[settings.tab][1]
        assert tab is not None
        return tab.config().replace(**{"optim.epochs": tab.epochs})
    return from_query(params)


def check_answer(key: str, answer: float) -> Verdict:
    """Train what lesson ``key``'s check needs for ``answer`` and judge it.

    Raises:
        ValueError: for an unknown lesson or an answer outside its bounds.
    """
    lesson = _lesson(key)
    a = lesson.answer
    if not a.lo <= answer <= a.hi:
        raise ValueError(f"{a.label} = {answer:g} is out of range: allowed {a.lo:g} to {a.hi:g}")
    return lesson.judge(answer, lesson.run(demo_config(key), answer))
