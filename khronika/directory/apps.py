from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "khronika.directory"
    label = "directory"

    def ready(self) -> None:
        from khronika.directory.policies import register_governance
        from khronika.directory.search import register_search

        register_governance()
        register_search()
