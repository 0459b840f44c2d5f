"""Error pages: plain, helpful, and never revealing whether a hidden document exists."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "web/errors/404.html", status=404)


def bad_request(request, exception=None):
    return render(request, "web/errors/400.html", status=400)


def server_error(request):
    return render(request, "web/errors/500.html", status=500)
