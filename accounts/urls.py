from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.switch_language, name="set_language"),
    path("read-log/", views.ReadLogListView.as_view(), name="read_log"),
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        views.RecordHistoryView.as_view(),
        name="history",
    ),
]
