"""Configuration from environment variables. Every variable is listed in the README."""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("KEUKENTAFEL_INSTANCE", ROOT / "instance"))

FACES = ("portal", "backoffice")


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


def _bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _dev_secret_key() -> str:
    """Development only: a random key kept under instance/ so sessions survive a restart."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass
class Settings:
    env: str = "production"
    database_url: str = ""
    secret_key: str = ""
    faces: tuple[str, ...] = FACES
    host: str = "127.0.0.1"
    port: int = 5000
    base_url: str = "http://127.0.0.1:5000"
    # Host names besides the base URL's that requests may carry (KEUKENTAFEL_TRUSTED_HOSTS); any other is refused.
    trusted_hosts: tuple[str, ...] = ()
    werkorganisatie: str = "Werkorganisatie BAR"
    behind_proxy: bool = False
    https: bool = False
    session_idle_minutes: int = 15
    smtp: dict = field(default_factory=dict)
    # The SMS gateway for the codes of the secure e-mail (integrations/sms): empty url = the local stand-in.
    sms: dict = field(default_factory=dict)
    digid: dict = field(default_factory=dict)
    digid_standin: bool = False
    digid_standin_port: int = 5001
    medewerker_oidc: dict = field(default_factory=dict)
    login_max_pogingen: int = 5
    login_blokkade_minuten: int = 15
    # Per file (domain/uploads.py: an error at the field, what was typed kept) and per request (MAX_CONTENT_LENGTH:
    # room for a few files, and a file over the per-file limit still reaches the form; beyond it a 413 page).
    upload_max_bytes: int = 10 * 1024 * 1024
    request_max_bytes: int = 25 * 1024 * 1024

    @property
    def development(self) -> bool:
        return self.env in {"development", "test"}

    def vertrouwde_hosts(self) -> list[str]:
        """The Host names this instance answers to: the base URL's, those listed, and in development and test also
        the loopback names (so http://localhost:5000 keeps working next to http://127.0.0.1:5000). A leading dot
        allows every subdomain, as in Flask's TRUSTED_HOSTS."""
        hosts = [urlsplit(self.base_url).hostname or "", *self.trusted_hosts]
        if self.development:
            hosts += ["localhost", "127.0.0.1"]
        return list(dict.fromkeys(h.strip().lower() for h in hosts if h and h.strip()))

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get("KEUKENTAFEL_ENV", "production").strip().lower()
        if env not in {"development", "production", "test"}:
            raise ConfigError("KEUKENTAFEL_ENV moet development, test of production zijn")
        development = env in {"development", "test"}

        secret_key = os.environ.get("SECRET_KEY", "")
        if not secret_key:
            if not development:
                raise ConfigError(
                    "SECRET_KEY ontbreekt. Zet SECRET_KEY (minstens 32 tekens) of KEUKENTAFEL_ENV=development."
                )
            secret_key = _dev_secret_key()
        elif len(secret_key) < 32 and not development:
            raise ConfigError("SECRET_KEY is te kort: gebruik minstens 32 willekeurige tekens.")

        faces = tuple(f.strip() for f in os.environ.get("KEUKENTAFEL_FACES", "portal,backoffice").split(",") if f.strip())
        unknown = set(faces) - set(FACES)
        if unknown or not faces:
            raise ConfigError(f"KEUKENTAFEL_FACES kent alleen {', '.join(FACES)}; gekregen: {', '.join(faces)}")

        port = int(os.environ.get("KEUKENTAFEL_PORT", "5000"))
        host = os.environ.get("KEUKENTAFEL_HOST", "127.0.0.1")
        https = _bool("KEUKENTAFEL_HTTPS", default=not development)
        default_db = f"sqlite:///{INSTANCE / 'keukentafel.db'}"

        standin = _bool("DIGID_STANDIN")
        if standin and not development:
            raise ConfigError("DIGID_STANDIN is een testvoorziening en mag niet aan in productie.")
        standin_port = int(os.environ.get("DIGID_STANDIN_PORT", "5001"))
        issuer = os.environ.get("DIGID_OIDC_ISSUER", "")
        if standin and not issuer:
            issuer = f"http://127.0.0.1:{standin_port}"

        loa_mapping = os.environ.get("DIGID_LOA_MAPPING", "")
        try:
            loa_mapping_parsed = json.loads(loa_mapping) if loa_mapping else {}
        except json.JSONDecodeError as exc:
            raise ConfigError(f"DIGID_LOA_MAPPING is geen geldige JSON: {exc}") from exc

        return cls(
            env=env,
            database_url=os.environ.get("DATABASE_URL") or default_db,
            secret_key=secret_key,
            faces=faces,
            host=host,
            port=port,
            base_url=os.environ.get("KEUKENTAFEL_BASE_URL", f"http://{host}:{port}").rstrip("/"),
            trusted_hosts=tuple(h.strip() for h in os.environ.get("KEUKENTAFEL_TRUSTED_HOSTS", "").split(",") if h.strip()),
            werkorganisatie=os.environ.get("KEUKENTAFEL_WERKORGANISATIE", "Werkorganisatie BAR"),
            behind_proxy=_bool("KEUKENTAFEL_BEHIND_PROXY"),
            https=https,
            session_idle_minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "15")),
            smtp={
                "host": os.environ.get("SMTP_HOST", ""),
                "port": int(os.environ.get("SMTP_PORT", "25")),
                "user": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "starttls": _bool("SMTP_STARTTLS"),
                "ssl": _bool("SMTP_SSL"),
                "sender": os.environ.get("SMTP_FROM", "Keukentafel <noreply@keukentafel.localhost>"),
            },
            sms={
                "url": os.environ.get("SMS_API_URL", ""),
                "product_token": os.environ.get("SMS_PRODUCT_TOKEN", ""),
                "afzender": os.environ.get("SMS_AFZENDER", "Gemeente"),
                "map": os.environ.get("SMS_LOKAAL_MAP", ""),
            },
            digid={
                "issuer": issuer.rstrip("/"),
                "client_id": os.environ.get("DIGID_OIDC_CLIENT_ID", "keukentafel-portaal" if standin else ""),
                "client_secret": os.environ.get("DIGID_OIDC_CLIENT_SECRET", "standin-geheim" if standin else ""),
                "scope": os.environ.get("DIGID_OIDC_SCOPE", "openid"),
                "bsn_claim": os.environ.get("DIGID_BSN_CLAIM", "bsn"),
                "loa_claim": os.environ.get("DIGID_LOA_CLAIM", "acr"),
                "min_loa": os.environ.get("DIGID_MIN_LOA", "midden").strip().lower(),
                "loa_mapping": loa_mapping_parsed,
            },
            digid_standin=standin,
            digid_standin_port=standin_port,
            medewerker_oidc={
                "issuer": os.environ.get("MEDEWERKER_OIDC_ISSUER", "").rstrip("/"),
                "client_id": os.environ.get("MEDEWERKER_OIDC_CLIENT_ID", ""),
                "client_secret": os.environ.get("MEDEWERKER_OIDC_CLIENT_SECRET", ""),
                "scope": os.environ.get("MEDEWERKER_OIDC_SCOPE", "openid profile email"),
                "username_claim": os.environ.get("MEDEWERKER_OIDC_USERNAME_CLAIM", "preferred_username"),
            },
        )
