from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="directory:organisation_list"), name="home"),
    path("accounts/", include("khronika.accounts.urls")),
    path("directory/", include("khronika.directory.urls")),
    path("monitoring/", include("khronika.monitoring.urls")),
    path("search/", include("khronika.search.urls")),
    path("public/", include("khronika.public.urls")),
    path("api/v1/", include("khronika.api.urls")),
]
