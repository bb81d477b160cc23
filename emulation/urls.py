from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from emulation import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", views.two_factor_login, name="two_factor_login"),
    path("accounts/two-factor/", views.two_factor_enrol, name="two_factor_enrol"),
    path(
        "accounts/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/two-factor/recovery-codes/done/",
        views.two_factor_recovery_codes_done,
        name="two_factor_recovery_codes_done",
    ),
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
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
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "emulation.views.server_error"
