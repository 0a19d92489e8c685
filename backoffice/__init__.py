"""The medewerkers' face: werkvoorraad, zaak, toetsing, administratie, bezwaar. Views and forms only."""
from flask import Blueprint

bp = Blueprint("backoffice", __name__)

from . import views, zaken, termijn_aanpassen  # noqa: E402,F401
from . import berichten  # noqa: E402,F401  (berichtenverkeer iWmo/iJw)
from . import post  # noqa: E402,F401  (brieven per post)
from . import vragen  # noqa: E402,F401  (vragen aan de inwoner)
from . import beheer  # noqa: E402,F401  (zaaktypen per gemeente)
from . import hulpvragen  # noqa: E402,F401  (hulpvragen uit het portaal)
