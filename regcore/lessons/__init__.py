"""The lesson path: seven lecture points, each a ready demo (a link), one question and the
check of its answer from the app's own numbers.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.lessons.checks import Answer, Verdict
from regcore.lessons.demo import PAGE_PATHS, check_answer, demo_config, lesson_link
from regcore.lessons.path import LESSONS, Lesson

__all__ = [
    "LESSONS",
    "PAGE_PATHS",
    "Answer",
    "Lesson",
    "Verdict",
    "check_answer",
    "demo_config",
    "lesson_link",
]
