from django.urls import path

from accounts import file_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.switch_language, name="set_language"),
    path("files/", file_views.MyFilesView.as_view(), name="my_files"),
    path("files/<int:pk>/download/", file_views.FileDownloadView.as_view(), name="file_download"),
    path("files/<int:pk>/retry/", file_views.FileRetryView.as_view(), name="file_retry"),
    path("read-log/", views.ReadLogListView.as_view(), name="read_log"),
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        views.RecordHistoryView.as_view(),
        name="history",
    ),
]
