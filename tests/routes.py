"""The project's URL patterns as data, for tests that must cover every route."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def named_routes() -> dict[str, str]:
    """{namespaced name ("web:home"): route ("collection/<int:pk>/")} of every URL pattern
    of the URLconf but the admin's (Django's back office, staff-only as a whole)."""
    routes: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                    walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"the route {route} has no name"
                routes[f"{namespace}{pattern.name}"] = route

    walk(get_resolver().url_patterns, "", "")
    return routes
