from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_unicode_lower(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
    """SQLite's lower() folds only ASCII; replace it so that name filters ignore case in Cyrillic too,
    as PostgreSQL's lower() does."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "lower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True
        )


class CoreConfig(AppConfig):
    name = "khronika.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_sqlite_unicode_lower, dispatch_uid="khronika-sqlite-lower")
