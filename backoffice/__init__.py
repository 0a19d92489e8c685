"""The medewerkers' face: werkvoorraad, zaak, toetsing, administratie, bezwaar. Views and forms only."""
from flask import Blueprint

bp = Blueprint("backoffice", __name__)

from . import views, zaken, termijn_aanpassen  # noqa: E402,F401
