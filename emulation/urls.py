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
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path(
        "notifications/read-all/",
        views.notification_read_all_view,
        name="notification_read_all",
    ),
    path("accounts/notifications/", views.email_choices, name="email_choices"),
    path("i18n/setlang/", views.language_choose, name="set_language"),
    path("documents/", include("awards.documents.urls")),
    path("", include("blocs.urls")),
    path("", include("awards.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "emulation.views.server_error"
