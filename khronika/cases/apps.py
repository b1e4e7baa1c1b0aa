from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "khronika.cases"
    label = "cases"

    def ready(self) -> None:
        from khronika.cases.policies import register_governance

        register_governance()
