# Placeholder until the search package lands (issue 3); replaced by the search views.
from django.http import Http404


def search_page(request):
    raise Http404


def search_help(request):
    raise Http404
