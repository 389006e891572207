"""The lesson path: each demo's link decodes to a valid config that reproduces the figures
the lesson states, and each check passes a right answer and fails a wrong one (real runs)."""

from __future__ import annotations

import functools
import urllib.parse
from typing import Any

import pytest

from regcore.lessons import LESSONS, Verdict, check_answer, demo_config, lesson_link
from regcore.links import (
    CompareSettings,
    DropoutSettings,
    SweepSettings,
    bias_variance_demo_params,
    from_query,
    to_query,
)

SAME_RUN = {"norms"}  # its check trains the same nine runs whatever the answer
# a right answer per lesson; each lesson's starting value (its demo's own setting) is wrong
RIGHT = {
    "weight_decay": 10.0,
    "l1_l2": 0.1,
    "choosing_lambda": 0.08,
    "dropout": 0.8,
    "norms": 2,
    "early_stopping": 10,
    "bias_variance": 0.46,
}


@functools.cache
def _result(key: str, answer: float) -> Any:
    """The check's run of ``answer`` (each run once per test session)."""
    return LESSONS[key].run(demo_config(key), answer)


def _verdict(key: str, answer: float) -> Verdict:
    run_with = LESSONS[key].answer.value if key in SAME_RUN else answer
    return LESSONS[key].judge(answer, _result(key, run_with))


def test_lessons_are_the_seven_lecture_points_in_order() -> None:
    points = [lesson.point for lesson in LESSONS.values()]
    assert points == [
        "Weight decay",
        "L1 vs L2",
        "Choosing λ",
        "Dropout",
        "Batch vs group norm",
        "Early stopping",
        "Bias–variance",
    ]
    assert set(RIGHT) == set(LESSONS)


@pytest.mark.parametrize("key", list(LESSONS))
def test_lesson_link_decodes_to_its_demo_config(key: str) -> None:
    link = lesson_link(key)
    query = urllib.parse.urlencode(list(link.items()))
    cfg = from_query(query)  # valid: the codec's own checks
    assert from_query(to_query(cfg, {k: v for k, v in link.items() if _page_key(k)})) == cfg
    page = LESSONS[key].page
    schemes = {"compare": CompareSettings, "sweep": SweepSettings, "dropout": DropoutSettings}
    if page in schemes:
        settings, problems = schemes[page].from_params(link)
        assert problems == [] and schemes[page].in_link(link)
    else:
        assert not any(_page_key(k) for k in link)
    if page != "dropout" or "dropout.tab" not in link:
        assert demo_config(key) == cfg


def test_lesson_bias_variance_opens_the_sweep_pages_own_demo() -> None:
    assert lesson_link("bias_variance") == bias_variance_demo_params()


def _page_key(key: str) -> bool:
    return key.split(".")[0] in ("compare", "sweep", "dropout")


@pytest.mark.parametrize("key", list(LESSONS))
def test_lesson_demo_reproduces_its_stated_numbers(key: str) -> None:
    lesson = LESSONS[key]
    got = _verdict(key, lesson.answer.value).numbers
    for name, value in lesson.shows.items():
        assert got[name] == pytest.approx(value, rel=0.1), name


@pytest.mark.parametrize("key", list(LESSONS))
def test_lesson_check_fails_the_demos_own_setting(key: str) -> None:
    verdict = _verdict(key, LESSONS[key].answer.value)
    assert not verdict.ok and verdict.text and verdict.numbers


@pytest.mark.parametrize("key", list(LESSONS))
def test_lesson_check_passes_a_right_answer(key: str) -> None:
    verdict = _verdict(key, RIGHT[key])
    assert verdict.ok, verdict.text


def test_lesson_check_answer_trains_and_judges() -> None:
    verdict = check_answer("weight_decay", 10.0)  # the page's call: run, then judge
    assert verdict.ok and verdict.numbers["test_loss"] < 0.05


def test_lesson_check_refuses_an_answer_out_of_bounds() -> None:
    with pytest.raises(ValueError, match="out of range"):
        check_answer("dropout", 1.5)
    with pytest.raises(ValueError, match="unknown lesson"):
        check_answer("nope", 1.0)
