"""Rate limiting for log-in endpoints (Flask-Limiter). Storage: RATELIMIT_STORAGE_URI (e.g. redis://) in
production so limits hold across workers; memory for the embedded default."""
from __future__ import annotations

import os

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
    default_limits=[],
    headers_enabled=False,
)
