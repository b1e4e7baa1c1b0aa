from django.conf import settings
from django.http import HttpRequest


def node(request: HttpRequest) -> dict[str, object]:
    return {"node_name": settings.NODE.node_name, "languages": settings.LANGUAGES}
