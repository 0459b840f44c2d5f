"""Machine-readable ways into the archive: OAI-PMH, Atom feeds, sitemaps, robots.txt,
OpenSearch and bulk data. See docs/harvesting.md."""

from django.urls import path

from declassified.harvest import data, discovery, feeds, oai, sitemaps

app_name = "harvest"

urlpatterns = [
    path("oai", oai.oai_endpoint, name="oai"),
    path("feeds/documents.atom", feeds.site_feed, name="feed"),
    path("feeds/search.atom", feeds.search_feed, name="search-feed"),
    path("feeds/collection/<int:pk>.atom", feeds.collection_feed, name="collection-feed"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", sitemaps.sitemap_pages, name="sitemap-pages"),
    path("sitemap-<slug:section>-<int:number>.xml", sitemaps.sitemap_part, name="sitemap-part"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("opensearch.xml", discovery.opensearch_description, name="opensearch"),
    path("data/", data.data_page, name="data"),
    path("data/<str:name>.jsonl.gz", data.dump_download, name="dump"),
]
