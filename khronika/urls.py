from django.urls import include, path

from khronika.cases.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("khronika.accounts.urls")),
    path("directory/", include("khronika.directory.urls")),
    path("monitoring/", include("khronika.monitoring.urls")),
    path("cases/", include("khronika.cases.urls")),
    path("search/", include("khronika.search.urls")),
    path("public/", include("khronika.public.urls")),
    path("api/v1/", include("khronika.api.urls")),
]
