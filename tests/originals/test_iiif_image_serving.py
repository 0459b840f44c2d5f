"""Serving IIIF images: info.json, who sees what (a hidden document's pages and cached tiles
are 404 for the public), ETag and 304, caching headers, CORS, the tile cache and its bound,
and the queries a request costs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pyvips
from django.core.files.storage import default_storage

from declassified.archive.models import Document
from declassified.originals import iiif_image_cache
from declassified.originals.iiif_image import pyramid_levels
from declassified.originals.iiif_image_cache import cache_size, evict_oldest, store_image
from declassified.response_cache import CACHED_PREFIXES
from tests.originals.test_iiif_image import make_page

TILE = "0,0,512,512/256,/0/default.jpg"


@pytest.fixture
def page(db):
    return make_page()


@pytest.fixture
def draft_page(db):
    return make_page(status=Document.DRAFT, title="A draft with a scan")


def test_info_json_describes_the_page_from_its_row(client, page, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(f"/iiif/3/{page.pk}/info.json")
    info = response.json()
    assert response["Content-Type"] == "application/json"
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://testserver/iiif/3/{page.pk}"
    assert (info["type"], info["protocol"], info["profile"]) == (
        "ImageService3", "http://iiif.io/api/image", "level2")
    assert (info["width"], info["height"]) == (1200, 800)
    assert info["sizes"] == [{"width": 150, "height": 100}, {"width": 300, "height": 200},
                             {"width": 600, "height": 400}, {"width": 1200, "height": 800}]
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    assert info["maxArea"] == 4096 * 4096
    assert set(info["extraQualities"]) == {"color", "gray", "bitonal"}
    assert set(info["extraFormats"]) == {"png", "webp"}
    assert sorted(info["extraFeatures"]) == ["canonicalLinkHeader", "mirroring",
                                             "profileLinkHeader", "rotationArbitrary",
                                             "sizeUpscaling"]
    assert response["Link"] == '<http://iiif.io/api/image/3/level2.json>;rel="profile"'


def test_every_size_info_json_lists_is_served_at_that_size(client, page):
    for size in client.get(f"/iiif/3/{page.pk}/info.json").json()["sizes"]:
        response = client.get(f"/iiif/3/{page.pk}/full/{size['width']},{size['height']}/0/"
                              "default.jpg")
        assert response.status_code == 200


@pytest.mark.parametrize("width, height", [(1200, 800), (2551, 3301), (200, 3000), (90, 60)])
def test_the_sizes_in_info_json_are_the_masters_pyramid_levels(db, width, height):
    page = make_page(width, height)
    master = default_storage.path(page.master)
    levels = pyvips.Image.new_from_file(master).get("n-pages")
    actual = [(level.width, level.height) for level in (
        pyvips.Image.new_from_file(master, page=n) for n in range(levels))]
    assert pyramid_levels(width, height) == actual


def test_info_json_is_json_ld_when_asked(client, page):
    response = client.get(f"/iiif/3/{page.pk}/info.json",
                          headers={"Accept": "application/ld+json"})
    assert response["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/image/3/context.json"')
    assert json.loads(response.content)["id"].endswith(f"/iiif/3/{page.pk}")
    assert "Accept" in response["Vary"]


def test_info_json_as_json_and_as_json_ld_have_different_etags(client, page):
    plain = client.get(f"/iiif/3/{page.pk}/info.json")
    linked = client.get(f"/iiif/3/{page.pk}/info.json", headers={"Accept": "application/ld+json"})
    assert plain["ETag"] != linked["ETag"]
    again = client.get(f"/iiif/3/{page.pk}/info.json", headers={
        "Accept": "application/ld+json", "If-None-Match": plain["ETag"]})
    assert again.status_code == 200


def test_the_base_uri_sends_the_reader_to_info_json(client, page):
    response = client.get(f"/iiif/3/{page.pk}")
    assert response.status_code == 303
    assert response["Location"] == f"/iiif/3/{page.pk}/info.json"


@pytest.mark.parametrize("path", ["info.json", TILE])
def test_published_pages_are_cacheable_for_long_and_open_to_other_sites(client, page, path):
    response = client.get(f"/iiif/3/{page.pk}/{path}")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("path", ["info.json", TILE])
def test_an_unchanged_picture_is_a_304(client, page, path):
    first = client.get(f"/iiif/3/{page.pk}/{path}")
    again = client.get(f"/iiif/3/{page.pk}/{path}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"
    other = client.get(f"/iiif/3/{page.pk}/full/100,/0/default.jpg",
                       headers={"If-None-Match": first["ETag"]})
    assert other.status_code == 200 and other["ETag"] != first["ETag"]


@pytest.mark.parametrize("path, canonical", [
    ("full/max/0/default.jpg", "full/max/0/default.jpg"),
    ("0,0,1200,800/1200,/0/default.jpg", "full/max/0/default.jpg"),
    ("square/,400/90.0/gray.png", "200,0,800,800/400,400/90/gray.png"),
    ("pct:0,0,50,50/!100,100/!0/color.webp", "0,0,600,400/100,67/!0/color.webp"),
    ("0,0,100,100/^pct:200/22.5/bitonal.jpg", "0,0,100,100/^200,200/22.5/bitonal.jpg"),
])
def test_a_picture_links_its_canonical_uri_and_the_profile(client, page, path, canonical):
    response = client.get(f"/iiif/3/{page.pk}/{path}")
    escaped = canonical.replace("^", "%5E")  # not a URI character by itself (RFC 3986)
    assert response["Link"] == (
        f'<http://testserver/iiif/3/{page.pk}/{escaped}>;rel="canonical", '
        '<http://iiif.io/api/image/3/level2.json>;rel="profile"')
    assert client.get(f"/iiif/3/{page.pk}/{canonical}").content == response.content


def test_head_answers_without_the_picture(client, page):
    response = client.head(f"/iiif/3/{page.pk}/{TILE}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    assert client.head(f"/iiif/3/{page.pk}/info.json").status_code == 200


def test_writes_are_refused(client, page):
    response = client.post(f"/iiif/3/{page.pk}/{TILE}")
    assert response.status_code == 405 and "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["info.json", TILE, "full/max/0/default.png"])
def test_a_hidden_documents_pages_are_404_for_the_public(client, draft_page, charlie, path):
    response = client.get(f"/iiif/3/{draft_page.pk}/{path}")
    assert response.status_code == 404
    assert response.content == f"No image has the identifier {draft_page.pk}.\n".encode()
    assert response["Cache-Control"] == "no-cache"
    client.force_login(charlie)
    assert client.get(f"/iiif/3/{draft_page.pk}/{path}").status_code == 404


def test_editors_see_a_hidden_documents_pages_never_stored_by_caches(client, draft_page, alice):
    client.force_login(alice)
    for path in ("info.json", TILE):
        response = client.get(f"/iiif/3/{draft_page.pk}/{path}")
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_a_cached_tile_of_a_hidden_document_is_never_served_to_the_public(client, draft_page,
                                                                          alice, page):
    client.force_login(alice)
    assert client.get(f"/iiif/3/{draft_page.pk}/{TILE}").status_code == 200  # now cached
    assert cache_size() > 0
    client.logout()
    assert client.get(f"/iiif/3/{draft_page.pk}/{TILE}").status_code == 404


def test_a_withdrawn_documents_cached_tiles_disappear_for_the_public(client, page):
    assert client.get(f"/iiif/3/{page.pk}/{TILE}").status_code == 200
    Document.objects.filter(pk=page.document_id).update(status=Document.WITHDRAWN)
    assert client.get(f"/iiif/3/{page.pk}/{TILE}").status_code == 404
    assert client.get(f"/iiif/3/{page.pk}/info.json").status_code == 404


def test_a_tile_comes_from_the_cache_without_the_master(client, page):
    first = client.get(f"/iiif/3/{page.pk}/{TILE}")
    master = Path(default_storage.path(page.master))
    master.rename(master.with_suffix(".gone"))  # libvips could not read it now
    again = client.get(f"/iiif/3/{page.pk}/{TILE}")
    assert again.status_code == 200 and again.content == first.content
    # Another spelling of the same picture is the same cache entry.
    assert client.get(f"/iiif/3/{page.pk}/pct:0,0,42.6666,64/256,/0/default.jpg").status_code == 200
    # A picture not cached needs the master: a plain message, not a traceback.
    missing = client.get(f"/iiif/3/{page.pk}/full/max/0/default.jpg")
    assert missing.status_code == 503 and b"cannot be read" in missing.content


def test_an_image_request_costs_one_query(client, page, django_assert_max_num_queries):
    for _ in range(2):  # made, then from the cache
        with django_assert_max_num_queries(1):
            assert client.get(f"/iiif/3/{page.pk}/{TILE}").status_code == 200


def test_the_response_cache_leaves_iiif_to_the_tile_cache():
    assert not "/iiif/3/1/full/max/0/default.jpg".startswith(CACHED_PREFIXES)
    assert not "/iiif/3/1/info.json".startswith(CACHED_PREFIXES)


def test_the_cache_keeps_within_its_bound_removing_the_oldest_first(settings, tmp_path):
    settings.IIIF_CACHE_DIR = tmp_path / "cache"
    settings.IIIF_CACHE_MB = 1
    iiif_image_cache._written_since_check = None
    keys = [f"{n:02x}" + "0" * 62 for n in range(150)]
    for key in keys:  # 150 × 10 kB: half again the bound
        store_image(key, b"x" * 10_000)
    assert cache_size() <= 1024 * 1024
    assert iiif_image_cache.cached_image(keys[0]) is None  # the oldest went
    assert iiif_image_cache.cached_image(keys[-1]) == b"x" * 10_000
    assert not list((tmp_path / "cache").rglob(".tmp-*"))  # written by renaming


def test_a_new_process_keeps_the_bound_of_what_others_wrote(settings, tmp_path):
    settings.IIIF_CACHE_DIR = tmp_path / "cache"
    settings.IIIF_CACHE_MB = 1
    for n in range(150):  # written by earlier server processes: 1.5 MB
        folder = tmp_path / "cache" / f"{n:02x}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (f"{n:02x}" + "1" * 62)).write_bytes(b"x" * 10_000)
    assert cache_size() > 1024 * 1024
    iiif_image_cache._written_since_check = None  # as in a process just started
    store_image("ff" + "2" * 62, b"y" * 100)
    assert cache_size() <= 1024 * 1024


def test_eviction_does_nothing_within_the_bound(settings, tmp_path):
    settings.IIIF_CACHE_DIR = tmp_path / "cache"
    store_image("ab" + "0" * 62, b"x" * 1000)
    assert evict_oldest() == 0 and cache_size() == 1000


def test_a_cache_of_zero_megabytes_is_off(client, page, settings):
    settings.IIIF_CACHE_MB = 0
    assert client.get(f"/iiif/3/{page.pk}/{TILE}").status_code == 200
    assert cache_size() == 0
