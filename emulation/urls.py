from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from emulation import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/locks/", views.login_locks, name="login_locks"),
    path("accounts/locks/lift/", views.login_lock_lift_view, name="login_lock_lift"),
    path("i18n/setlang/", views.language_choose, name="set_language"),
    path("documents/", include("awards.documents.urls")),
    path("", include("blocs.urls")),
    path("", include("awards.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "emulation.views.server_error"
