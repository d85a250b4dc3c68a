"""Run a batch on a Ray cluster: one actor per worker loads the model once, documents go to idle actors.

Why Ray (not Dask): a translation worker is a stateful object (a ~300 MB model loaded once, kept warm),
which Ray's actors model directly, with restart-and-retry built in (``max_restarts``/``max_task_retries``):
a worker process or node that dies is restarted (on another node if its own is gone), loads the model
again, and the documents it held are retried there. Dask's futures retry lost tasks too, but keeping a
model per worker needs actors (experimental in Dask, without retries) or worker-global state by hand.

The driver (``bulletin translate --cluster ADDRESS``) keeps everything that touches the output folder:
it reads each input, ships its bytes, and writes outputs and manifest lines as results come back, so
workers need no shared storage, only ``bulletin`` installed and the model at the same path (or hub id).
A document that fails is a normal result (the batch keeps going); only a lost worker is retried.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .batch import WorkItem
from .docjob import DocResult, DocumentTranslator, Settings
from .errors import UsageError

#: times one document is sent out again after Ray itself gave up on its actor
RESUBMITS = 3


def require_ray() -> Any:
    """The ray module, or a usage error that says how to install it."""
    try:
        import ray
    except ImportError:
        raise UsageError("--cluster needs Ray: pip install 'bulletin[cluster]'") from None
    return ray


class _Worker:
    """The actor body: one DocumentTranslator (glossary and model loaded once) per worker process."""

    def __init__(self, settings: Settings) -> None:
        self.translate = DocumentTranslator(settings)

    def process(self, source: str, data: bytes) -> DocResult:
        return self.translate(source, data)


class RayExecutor:
    """``Executor`` over Ray actors. ``address``: a cluster's ``host:port`` (or ``ray://...``), or "local"
    to start a private Ray on this machine for the run."""

    def __init__(self, address: str, settings: Settings, *, workers: int | None = None) -> None:
        self.address = address
        self.settings = settings
        self.workers = workers

    def _connect(self) -> Any:
        ray = require_ray()
        os.environ.setdefault("RAY_DEDUP_LOGS", "0")
        kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR,
                                  "configure_logging": True}
        if self.address == "local":
            ray.init(include_dashboard=False, **kwargs)
        else:
            try:
                ray.init(address=self.address, **kwargs)
            except (ConnectionError, ValueError, RuntimeError) as e:
                raise UsageError(f"--cluster {self.address}: cannot connect to a Ray cluster: {e}") from None
        return ray

    def run(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, DocResult]]:
        ray = self._connect()
        try:
            yield from self._run(ray, items)
        finally:
            ray.shutdown()

    def _run(self, ray: Any, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, DocResult]]:
        cpus = self.settings.options.threads or 1
        n = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1) // cpus))
        # threads=cpus: each actor decodes on the cores Ray gave it, not on every core of its node
        settings = dataclasses.replace(self.settings, options=self.settings.options.with_(threads=cpus))
        actor_class = ray.remote(num_cpus=cpus, max_restarts=-1, max_task_retries=-1)(_Worker)
        actors = [actor_class.remote(settings) for _ in range(n)]
        idle = list(actors)
        pending: dict[Any, tuple[WorkItem, Any, int]] = {}
        source = iter(items)
        exhausted = False
        try:
            while True:
                while idle and not exhausted:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                        break
                    actor = idle.pop()
                    pending[actor.process.remote(item.job.source, item.data)] = (item, actor, 0)
                if not pending:
                    return
                [ref], _ = ray.wait(list(pending), num_returns=1)
                item, actor, tries = pending.pop(ref)
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayActorError as e:
                    # Ray gave up on the actor: replace it, send the document again (to any idle actor)
                    actors.remove(actor)
                    fresh = actor_class.remote(settings)
                    actors.append(fresh)
                    if tries >= RESUBMITS:
                        yield item, DocResult(error=f"{item.job.name}: worker lost {tries + 1} times: {e}",
                                              exit_code=70)
                        idle.append(fresh)
                        continue
                    pending[fresh.process.remote(item.job.source, item.data)] = (item, fresh, tries + 1)
                    continue
                except ray.exceptions.RayTaskError as e:
                    result = DocResult(error=f"{item.job.name}: internal error on a worker: {e}",
                                       exit_code=70)
                idle.append(actor)
                yield item, result
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
            for actor in actors:
                ray.kill(actor)
