from django.urls import path

from daycare import views

app_name = "daycare"

urlpatterns = [
    path("", views.DayCareHomeView.as_view(), name="home"),
    path("centres/<int:pk>/", views.CentreView.as_view(), name="centre"),
    path("centres/<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("centres/<int:pk>/capacity/", views.CapacityCreateView.as_view(), name="capacity_set"),
    path("children/<int:pk>/", views.PlaceDetailView.as_view(), name="place_detail"),
    path("families/<int:pk>/register/", views.PlaceCreateView.as_view(), name="place_create"),
]
