from django.urls import path

from currentawareness import views

app_name = "currentawareness"

urlpatterns = [
    path("", views.sign_up, name="sign_up"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
