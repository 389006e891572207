"""A headless Streamlit client: one websocket session that speaks the app's protobuf protocol.

It does what a browser tab does for these tests, and no more: opens a session on a page,
records every element the server draws (with its arrival time), clicks a button by its
label, and runs the fragments the server asks to rerun (``st.fragment(run_every=…)``), the
way the frontend's timers do. Closing it closes the websocket, as closing a tab does.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackendOperationRequest, BackMsg, DeferredFileRequestPayload
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect


@dataclass
class Seen:
    """One element the server drew: when (monotonic s), its kind and its text (a download
    button: its label, and the path of its file on the server in ``url``)."""

    t: float
    kind: str
    text: str
    url: str = ""
    file_id: str = ""  # a download made when pressed: its id, for Session.download_url


@dataclass
class Session:
    """One tab: its websocket, what it saw, its buttons and its running fragment timers."""

    url: str
    page: str
    query: str = ""  # the link's query string, e.g. "optim.epochs=2000"
    ready: str = "Train"  # the button whose arrival means the page is drawn
    seen: list[Seen] = field(default_factory=list)
    buttons: dict[str, str] = field(default_factory=dict)  # label -> widget id (the last)
    button_ids: set[str] = field(default_factory=set)  # every button's widget id
    page_hash: str = ""
    session_id: str = ""  # the server's id of this session (its first new_session says it)
    finished_runs: int = 0
    _ws: object = None
    _reader: asyncio.Task | None = None
    _timers: dict[str, asyncio.Task] = field(default_factory=dict)
    _asked: dict[str, asyncio.Future] = field(default_factory=dict)  # request id -> its answer

    async def open(self, timeout: float = 60.0) -> Session:
        """Connect and run the page once; returns when its first script run has finished."""
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self._ws = await connect(
            ws_url, subprotocols=["streamlit"], max_size=2**26, open_timeout=timeout
        )
        self._reader = asyncio.create_task(self._read())
        await self._send_rerun(page_name=self.page)
        await self.wait_for(lambda: self.finished_runs > 0 and self.ready in self.buttons, timeout)
        return self

    async def click(self, label: str, key: str | None = None) -> float:
        """Press the button ``label`` (or the one whose widget ``key`` is given, for
        buttons that share a label); returns the monotonic time of the click."""
        wid = self.buttons[label] if key is None else self.widget_id(key)
        state = WidgetState(id=wid, trigger_value=True)
        t = time.monotonic()
        await self._send_rerun(widgets=[state])
        return t

    async def close(self) -> None:
        """Close the websocket, as closing the tab does."""
        for task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def download_url(self, seen: Seen, timeout: float = 30.0) -> str:
        """The server path of a download's file. A download made when pressed (a callable
        given to ``st.download_button``) has none until the tab asks for it, as the
        browser's click does: a backend-operation request answered with its URL."""
        if not seen.file_id:
            return seen.url
        rid = f"dl-{len(self._asked)}"
        answer = asyncio.get_running_loop().create_future()
        self._asked[rid] = answer
        ask = BackendOperationRequest(
            request_id=rid,
            session_id=self.session_id,
            deferred_file=DeferredFileRequestPayload(file_id=seen.file_id),
        )
        await self._ws.send(BackMsg(backend_operation_request=ask).SerializeToString())
        reply = await asyncio.wait_for(answer, timeout)
        if reply.error_msg:
            raise RuntimeError(f"{seen.text}: {reply.error_msg}")
        return reply.deferred_file.url

    def widget_id(self, key: str) -> str:
        """The id of the button with the user key ``key`` (Streamlit ends the id with it)."""
        (wid,) = [w for w in self.button_ids if w.endswith(f"-{key}")]
        return wid

    def first(self, after: float, *needles: str) -> Seen | None:
        """The first element drawn after ``after`` whose text holds one of ``needles``."""
        for s in self.seen:
            if s.t >= after and any(n in s.text for n in needles):
                return s
        return None

    async def wait_for(self, cond, timeout: float) -> bool:
        """Poll ``cond()`` until it holds (True) or ``timeout`` s pass (False)."""
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                return False
            await asyncio.sleep(0.02)
        return True

    async def _send_rerun(self, widgets=(), fragment_id: str = "", page_name: str = "") -> None:
        state = ClientState(
            query_string=self.query,
            widget_states=WidgetStates(widgets=list(widgets)),
            page_script_hash=self.page_hash,
            page_name=page_name,
            fragment_id=fragment_id,
            is_auto_rerun=bool(fragment_id),
        )
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())

    async def _read(self) -> None:
        async for raw in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self._handle(msg, time.monotonic())

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
            if msg.new_session.page_script_hash:
                self.page_hash = msg.new_session.page_script_hash
            if not msg.metadata.run.fragment_ids:  # a full run drops the old fragments' timers
                for task in self._timers.values():
                    task.cancel()
                self._timers.clear()
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "script_finished":
            self.finished_runs += 1
        elif kind == "auto_rerun":
            fid, every = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if fid not in self._timers:
                self._timers[fid] = asyncio.create_task(self._auto_rerun(fid, every))
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                task = self._timers.pop(fid, None)
                if task is not None:
                    task.cancel()
        elif kind == "backend_operation_response":
            answer = self._asked.get(msg.backend_operation_response.request_id)
            if answer is not None and not answer.done():
                answer.set_result(msg.backend_operation_response)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, now)

    def _element(self, el, now: float) -> None:
        kind = el.WhichOneof("type")
        if kind == "button":
            self.buttons[el.button.label] = el.button.id
            self.button_ids.add(el.button.id)
            return
        if kind == "download_button":
            d = el.download_button
            self.seen.append(Seen(now, kind, d.label, d.url, d.deferred_file_id))
            return
        text = {
            "progress": lambda: el.progress.text,
            "alert": lambda: el.alert.body,
            "markdown": lambda: el.markdown.body,
            "metric": lambda: f"{el.metric.label}: {el.metric.body}",
        }.get(kind)
        if text is not None:
            self.seen.append(Seen(now, kind, text()))

    async def _auto_rerun(self, fragment_id: str, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await self._send_rerun(fragment_id=fragment_id)
