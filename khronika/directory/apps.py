from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "khronika.directory"
    label = "directory"
