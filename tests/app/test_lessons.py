"""AppTest: the Lesson page lists the seven points, each demo button opens its page and
trains it, and Check says yes to a right answer and no to a wrong one, with the numbers."""

from regcore.lessons import LESSONS, PAGE_PATHS, lesson_link
from tests.app.conftest import wait_for_job

PAGE = "pages/lessons.py"
# the page a demo opens: its title and the session prefix of the job it trains
OPENED = {
    "playground": ("Playground", "pg"),
    "compare": ("L1 vs L2", "cmp"),
    "sweep": ("λ sweep", "sw"),
    "dropout": ("Dropout & norm", "dn"),
}


def test_lesson_page_lists_the_seven_points_in_order(open_page):
    at = open_page(PAGE)
    assert at.title[0].value.startswith("Lesson")
    opens = [b.key for b in at.button if b.key and b.key.startswith("lesson_open_")]
    assert opens == [f"lesson_open_{k}" for k in LESSONS]
    text = " ".join(m.value for m in at.markdown)
    points = [
        text.index(f"**{n}. {lesson.point}**") for n, lesson in enumerate(LESSONS.values(), 1)
    ]
    assert points == sorted(points)


def test_lesson_check_says_yes_to_a_right_answer_and_no_to_a_wrong_one(open_page):
    from ui.lessons.view import _check
    from ui.live.runner import get_runner

    _check.clear()  # trained here, not read from another test's cache
    at = open_page(PAGE)
    at.text_input(key="lesson_l1_l2_answer__typed").set_value("1.0")
    at.button(key="lesson_check_l1_l2").click().run()
    assert not at.exception and not at.success
    assert "Not yet" in at.error[0].value and "97.5 %" in at.error[0].value
    at.text_input(key="lesson_l1_l2_answer__typed").set_value("0.1")
    at.button(key="lesson_check_l1_l2").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Yes. L1 at λ = 0.1: 97.5 %")
    # both checks trained through the queue (one of its K slots), not in the script thread
    checks = [r for r in get_runner().history() if r["label"] == "check l1_l2"]
    assert [r["status"] for r in checks[-2:]] == ["done", "done"]


def _opened(at, key: str) -> str:
    """Assert the demo's page is open with the demo's link; its job's session prefix."""
    assert not at.exception
    title, prefix = OPENED[LESSONS[key].page]
    assert at.title[0].value == title
    link = {k: at.query_params[k] for k in at.query_params}
    for k, v in lesson_link(key).items():
        assert (link[k][-1] if isinstance(link[k], list) else link[k]) == v
    return prefix


def test_lesson_demo_button_opens_its_page_with_its_link_and_trains(open_page):
    at = open_page(PAGE)
    at.button(key="lesson_open_l1_l2").click().run()
    prefix = _opened(at, "l1_l2")
    assert f"{prefix}_job" in at.session_state  # submitted in the one click
    at.switch_page(PAGE_PATHS["compare"])  # AppTest reruns its own page otherwise
    wait_for_job(at, prefix, timeout=120)
    assert not at.exception
    assert at.session_state[f"{prefix}_result"] is not None


def test_lesson_demo_button_trains_a_dropout_tab(open_page):
    at = open_page(PAGE)
    at.button(key="lesson_open_norms").click().run()
    _opened(at, "norms")
    job = at.session_state["dnb_job"]  # the Small batches tab's job, not Side by side's
    assert "dn_job" not in at.session_state or at.session_state["dn_job"] is None
    job.stop_event.set()  # its numbers are the unit tests'; here only that it started
