from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "khronika.search"
    label = "search"

    def ready(self) -> None:
        from khronika.core.changes import follow_commits
        from khronika.search.indexer import sync_after_commit

        follow_commits(sync_after_commit)
