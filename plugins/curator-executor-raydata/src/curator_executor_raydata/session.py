"""Ray's lifecycle for one run, shared with every Ray-based executor: see ``curator_core.executors.ray_session``.

Join a connected driver or ``RAY_ADDRESS`` (never stopped), else start a private, lean local Ray
(no dashboard, a temp dir of its own, no token in ``~/.ray``) and stop it after the run.
"""

from __future__ import annotations

from curator_core.executors.ray_session import AUTH_MODE_ENV, RaySession, ray_session, short_temp_dir

__all__ = ["AUTH_MODE_ENV", "RaySession", "ray_session", "short_temp_dir"]
