from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "khronika.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from khronika.monitoring.policies import register_governance

        register_governance()
