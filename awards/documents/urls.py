from django.urls import path

from awards.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.issued_document_detail, name="issued_document_detail"),
    path(
        "<int:pk>/<str:fmt>/",
        views.issued_document_download,
        name="issued_document_download",
    ),
]
