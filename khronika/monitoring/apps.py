from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "khronika.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from khronika.monitoring.policies import register_governance
        from khronika.monitoring.search import register_search

        register_governance()
        register_search()
