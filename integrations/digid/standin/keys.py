"""The stand-in's RS256 signing key, kept on disk so that ID tokens and the published JWKS survive a restart."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from joserfc.jwk import RSAKey

__all__ = ["load_or_create_key"]


def load_or_create_key(key_path: Path) -> RSAKey:
    """Load the RS256 signing key, creating it on first start.

    The key is kept on disk so ID tokens and the published JWKS stay valid across restarts (clients cache
    the JWKS). The file is created with mode 0600 and linked into place atomically, so a second process
    starting at the same moment never reads half a key.
    """
    key_path = Path(key_path)
    if not key_path.exists():
        key_path.parent.mkdir(parents=True, exist_ok=True)
        pem = RSAKey.generate_key(2048, private=True).as_pem(private=True)
        tmp = key_path.with_name(f".{key_path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, pem)
        finally:
            os.close(fd)
        try:
            os.link(tmp, key_path)  # fails if another process won the race; then we use its key
        except FileExistsError:
            pass
        except OSError:  # file system without hard links
            if not key_path.exists():
                os.replace(tmp, key_path)
        finally:
            tmp.unlink(missing_ok=True)
    key = RSAKey.import_key(key_path.read_bytes())
    if not key.is_private:
        raise ValueError(f"{key_path.name} bevat geen private RSA-sleutel")
    return key
