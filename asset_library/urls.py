from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

app_name = "library"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("image-studio/asset-library", RedirectView.as_view(url="/library/", permanent=False)),
    path("image-studio/asset-library/", RedirectView.as_view(url="/library/", permanent=False)),
    path("", RedirectView.as_view(url="/library/", permanent=False)),
]
