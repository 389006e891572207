"""The Lesson page's views: one box per lecture point with its demo button, what to look at,
its question and the check of an answer (``regcore.lessons``)."""

from __future__ import annotations

import streamlit as st

from regcore.lessons import LESSONS, PAGE_PATHS, Lesson, Verdict, check_answer, lesson_link
from ui.kit import autorun
from ui.kit.typed import bounded_box
from ui.live.runner import Refused
from ui.live.stream import in_line

P = "lesson"  # session-state / widget prefix
# the page each demo opens: its label, its main button and that button's session prefix
OPENS = {
    "playground": ("Playground", "Train", "pg"),
    "compare": ("L1 vs L2", "Train all", "cmp"),
    "sweep": ("λ sweep", "Sweep", "sw"),
    "dropout": ("Dropout & norm", "Train all", "dn"),
}
TABS = {"small": ("Small batches", "Train 9 runs", "dnb")}  # Dropout & norm's tabs

INTRO = (
    "Seven points of a lecture on regularization, in order. **Open demo** opens the page "
    "with the demo's settings and trains it (a few seconds; the page's link reproduces "
    "it): look where the line says. Then answer the question: **Check** trains your "
    "answer and reads the app's own numbers."
)


@st.cache_data(show_spinner=False, max_entries=64)
def _check(key: str, answer: float) -> Verdict:
    """The check of one answer (deterministic: the same numbers every time, so cached),
    trained through the queue like every run: a class pressing Check at once takes the
    K slots in turn, not one thread per student."""
    return in_line(lambda: check_answer(key, answer), label=f"check {key}", key=f"{P}_check")


def _opens(lesson: Lesson) -> tuple[str, str, str]:
    """The page (and tab) a demo opens, its main button and the button's session prefix."""
    page, button, prefix = OPENS[lesson.page]
    tab = lesson.settings.get("tab")
    if tab in TABS:
        label, button, prefix = TABS[tab]
        page = f"{page} → {label}"
    return page, button, prefix


def _answer(key: str, lesson: Lesson, column, below) -> float | None:
    """The student's answer, typed and read on the server ("0,5" reads as 0.5 and says so;
    "1,5" in a whole-number answer is refused, never 15); None while it is refused."""
    a = lesson.answer
    k = f"{P}_{key}_answer"
    st.session_state.setdefault(k, int(a.value) if a.whole else float(a.value))
    with column:
        return bounded_box(P, k, a.label, a.lo, a.hi, whole=a.whole, say_in=below)


def _show(verdict: Verdict) -> None:
    if verdict.ok:
        st.success(f"Yes. {verdict.text}", icon=":material/check_circle:")
    else:
        st.error(f"Not yet. {verdict.text}", icon=":material/cancel:")


def lesson_box(n: int, key: str, lesson: Lesson) -> None:
    """One lecture point: title and what to look at, its demo button, question and check."""
    with st.container(border=True):
        left, right = st.columns([4, 1.3], vertical_alignment="center")
        left.markdown(f"**{n}. {lesson.point}** — {lesson.look}")
        page, button, prefix = _opens(lesson)
        left.caption(f"Opens **{page}** and presses **{button}** there.")
        if right.button("Open demo", key=f"{P}_open_{key}", type="primary", width="stretch"):
            autorun.request(prefix)
            st.switch_page(PAGE_PATHS[lesson.page], query_params=lesson_link(key))
        q, a, go = st.columns([3, 1.1, 0.9], vertical_alignment="bottom")
        q.markdown(f"**Question.** {lesson.question}")
        answer = _answer(key, lesson, a, st.container())  # its refusal: under the row
        off = answer is None  # a refused answer: its message is under it
        if go.button("Check", key=f"{P}_check_{key}", width="stretch", disabled=off):
            with st.spinner("Training your answer…"):
                try:
                    st.session_state[f"{P}_{key}_verdict"] = (answer, _check(key, answer))
                except (Refused, RuntimeError) as exc:  # the answer stays in its field
                    st.warning(f"Not checked: {exc}")
        shown = st.session_state.get(f"{P}_{key}_verdict")
        if shown is not None:
            _show(shown[1])


def render() -> None:
    """The page: the intro, then the seven lecture points in order."""
    autorun.drop()  # a demo the last click opened has trained (or its page was busy)
    st.markdown(INTRO)
    for n, (key, lesson) in enumerate(LESSONS.items(), 1):
        lesson_box(n, key, lesson)
