# Placeholder until the search package lands (issue 3); replaced by the search API view.
from django.http import JsonResponse


def search_api(request):
    return JsonResponse({"error": "search is not available yet"}, status=404)
