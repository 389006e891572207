"""Which browser session runs this script, and whether it is still connected.

Works around streamlit/streamlit#8545 ("Shut down the session after closing the browser
tab"): Streamlit has no public callback for a session that ends. Its runtime does know —
a closed or reloaded tab disconnects the websocket, and the session stops being active at
once — so the job queue's watchdog asks ``Runtime.is_active_session`` about each owner.
This module is the only place that touches those runtime internals (``get_script_run_ctx``
and ``Runtime.instance()``); if a release moves them, only this file changes, and both
functions fail safe (no owner: jobs are nobody's; unknown: treated as alive).
"""

from __future__ import annotations

import logging

log = logging.getLogger("reglab.session_watch")


def current_session() -> str | None:
    """The id of the session whose script is running on this thread (None outside one)."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if not Runtime.exists():  # AppTest and scripts share one fixed id and have no tab
            return None
        ctx = get_script_run_ctx(suppress_warning=True)
    except Exception:  # noqa: BLE001 - a moved internal must not break Train
        log.warning("cannot read the session id; jobs will not follow their tab")
        return None
    return getattr(ctx, "session_id", None)


def session_alive(session_id: str) -> bool:
    """False once the session's tab has closed, reloaded or the session ended."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():  # AppTest and scripts: no server, no tabs to close
            return True
        return bool(Runtime.instance().is_active_session(session_id))
    except Exception:  # noqa: BLE001 - unknown means alive: never cancel by mistake
        log.warning("cannot check session %s; treating it as alive", session_id)
        return True
