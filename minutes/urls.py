from django.urls import path

from minutes.views import importing, meetings, review
from minutes.views import search as search_views

app_name = "minutes"

urlpatterns: list = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("importer/", importing.import_minutes_view, name="import"),
    path("<int:pk>/gennemgang/", review.review, name="review"),
    path("<int:pk>/gennemgang/tilfoej/", review.review_add, name="review_add"),
    path("<int:pk>/gennemgang/bekraeft-alle/", review.review_accept_all, name="review_accept_all"),
    path("<int:pk>/gennemgang/giv-besked/", review.review_notify, name="review_notify"),
    path("<int:pk>/gennemgang/<int:item_pk>/bekraeft/", review.review_accept, name="review_accept"),
    path("<int:pk>/gennemgang/<int:item_pk>/ret/", review.review_edit, name="review_edit"),
    path("<int:pk>/gennemgang/<int:item_pk>/afvis/", review.review_reject, name="review_reject"),
    path("<int:pk>/gennemgang/tidligere/<int:link_pk>/afslut/", review.review_link_close, name="review_link_close"),
    path("<int:pk>/gennemgang/tidligere/<int:link_pk>/ret-frist/", review.review_link_update, name="review_link_update"),
    path("<int:pk>/gennemgang/tidligere/<int:link_pk>/behold/", review.review_link_dismiss, name="review_link_dismiss"),
    path("soeg/", search_views.search_page, name="search"),
    path("fora/<str:slug>/beslutninger/", search_views.decisions, name="decisions"),
    path("fora/<str:slug>/beslutninger.csv", search_views.decisions_csv, name="decisions_csv"),
]
