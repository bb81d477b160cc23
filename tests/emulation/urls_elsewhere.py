"""The project's URLs under another path, for a test that changes the URLconf."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("emulation.urls"))]
