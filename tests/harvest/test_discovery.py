"""robots.txt and the OpenSearch description."""

from __future__ import annotations

from lxml import etree

OPENSEARCH = {"o": "http://a9.com/-/spec/opensearch/1.1/"}


def test_robots_txt_names_the_sitemap_and_keeps_out_of_the_back_office(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_the_opensearch_description_points_to_the_search_page(client, db):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = etree.fromstring(response.content)
    html = root.find("o:Url[@type='text/html']", OPENSEARCH)
    assert html.get("template") == "http://testserver/search/?q={searchTerms}"
    assert 0 < len(root.findtext("o:ShortName", namespaces=OPENSEARCH)) <= 16
