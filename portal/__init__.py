"""The inwoner's face: views and forms only; policy lives in the domain."""
from flask import Blueprint

bp = Blueprint("portal", __name__)

from . import views, zaken  # noqa: E402,F401
from . import formulieren, hulpvraag  # noqa: E402,F401  (formulieren van een zaaktype, hulpvraag van de inwoner)
from . import beveiligd  # noqa: E402,F401  (de pagina van een beveiligde e-mail, zonder DigiD)
