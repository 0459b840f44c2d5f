"""IIIF Image API 3.0 requests, over HTTP, against a real page master: every region, size,
rotation, quality and format form gives a picture of the right size and orientation; bad
requests are a 400 saying what is wrong, formats not offered a 501."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import pyvips

from declassified.originals.render import render_attachment_pages
from tests.factories import make_attachment, make_document

SCANS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scans"
WIDTH, HEIGHT = 1200, 800
RED, GREEN, BLUE, WHITE = (220, 30, 30), (30, 200, 30), (30, 30, 220), (255, 255, 255)


def quadrants_png(width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """Four coloured quarters (red green / blue white): where a corner lands shows how the
    picture was turned."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(picture)
    half_w, half_h = width // 2, height // 2
    draw.rectangle((0, 0, half_w - 1, half_h - 1), fill=RED)
    draw.rectangle((half_w, 0, width - 1, half_h - 1), fill=GREEN)
    draw.rectangle((0, half_h, half_w - 1, height - 1), fill=BLUE)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def make_page(width: int = WIDTH, height: int = HEIGHT, **document_fields):
    document = make_document(**document_fields)
    attachment = make_attachment(document, "quadrants.png", quadrants_png(width, height))
    render_attachment_pages(attachment)
    return attachment.pages.get()


@pytest.fixture
def page(db):
    return make_page()


def fetch(client, page, path: str, status: int = 200, **headers):
    response = client.get(f"/iiif/3/{page.pk}/{path}", headers=headers)
    assert response.status_code == status, response.content[:300]
    return response


def picture(client, page, path: str) -> pyvips.Image:
    return pyvips.Image.new_from_buffer(fetch(client, page, path).content, "")


def colour_at(image: pyvips.Image, x: int, y: int) -> tuple[int, ...]:
    return tuple(round(v) for v in image.getpoint(x, y))


def near(colour: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=False))


@pytest.mark.parametrize("region, size", [
    ("full", (1200, 800)),
    ("square", (800, 800)),
    ("100,50,300,200", (300, 200)),
    ("pct:50,50,50,50", (600, 400)),
    ("pct:12.5,25,25,50", (300, 400)),
    ("1000,700,500,500", (200, 100)),  # reaches past the image: cut to it
])
def test_every_region_form_gives_its_pixels(client, page, region, size):
    image = picture(client, page, f"{region}/max/0/default.jpg")
    assert (image.width, image.height) == size


def test_the_square_region_is_the_middle_of_the_page(client, page):
    image = picture(client, page, "square/max/0/default.png")
    assert near(colour_at(image, 10, 10), RED) and near(colour_at(image, 790, 10), GREEN)


def test_a_pixel_region_shows_that_part_of_the_page(client, page):
    assert near(colour_at(picture(client, page, "700,10,50,50/max/0/default.png"), 25, 25), GREEN)
    assert near(colour_at(picture(client, page, "pct:10,60,5,5/max/0/default.png"), 5, 5), BLUE)


@pytest.mark.parametrize("size, expected", [
    ("max", (1200, 800)),
    ("600,", (600, 400)),
    (",400", (600, 400)),
    ("pct:25", (300, 200)),
    ("300,300", (300, 300)),  # w,h may distort
    ("!300,300", (300, 200)),  # fits inside, keeps the shape
    ("^max", (5016, 3344)),  # scaled up to maxArea (4096²), keeping the shape
    ("^1800,", (1800, 1200)),
    ("^,1200", (1800, 1200)),
    ("^pct:150", (1800, 1200)),
    ("^2400,900", (2400, 900)),
    ("^!2400,2400", (2400, 1600)),
    ("^!600,600", (600, 400)),  # ^ allows upscaling; it does not demand it
    ("^600,", (600, 400)),
])
def test_every_size_form_gives_its_pixels(client, page, size, expected):
    image = picture(client, page, f"full/{size}/0/default.jpg")
    assert (image.width, image.height) == expected


def test_sizes_apply_to_the_region(client, page):
    image = picture(client, page, "0,0,600,400/!100,100/0/default.jpg")
    assert (image.width, image.height) == (100, 67)
    image = picture(client, page, "0,0,100,100/^400,/0/default.png")
    assert (image.width, image.height) == (400, 400) and near(colour_at(image, 200, 200), RED)


@pytest.mark.parametrize("size", ["1201,", ",801", "pct:101", "1300,800", "1200,801",
                                  "!2400,2400", "max,"])
def test_upscaling_without_the_caret_is_a_400(client, page, size):
    response = fetch(client, page, f"full/{size}/0/default.jpg", status=400)
    if size != "max,":
        assert b"^" in response.content and b"larger than the region" in response.content


def test_a_size_beyond_max_area_is_a_400_and_max_stays_within_it(client, db):
    wide = make_page(4400, 4000)  # 17.6 million pixels
    response = fetch(client, wide, "full/4400,4000/0/default.jpg", status=400)
    assert b"maxArea" in response.content
    image = picture(client, wide, "full/max/0/default.jpg")
    assert image.width * image.height <= 4096 * 4096
    assert abs(image.width / image.height - 1.1) < 0.01
    tile = picture(client, wide, "2048,0,2048,2048/512,/0/default.jpg")  # a tile of level 2
    assert (tile.width, tile.height) == (512, 512)
    assert near(colour_at(tile, 500, 300), GREEN) and near(colour_at(tile, 10, 300), RED)
    edge = picture(client, wide, "4096,2048,2048,2048/76,/0/default.jpg")  # cut to the page
    assert (edge.width, edge.height) == (76, 488)


def test_tiles_of_a_smaller_level_meet_without_a_seam(client, db):
    """An odd page width makes each level a little less than half the one above: tiles are
    still cut at exactly half the coordinates (red ends at x = 1023, green starts at 1024)."""
    from PIL import Image

    picture_ = Image.new("RGB", (2051, 600), GREEN)
    picture_.paste(RED, (0, 0, 1024, 600))
    out = io.BytesIO()
    picture_.save(out, "PNG")
    attachment = make_attachment(make_document(), "stripes.png", out.getvalue())
    render_attachment_pages(attachment)
    page = attachment.pages.get()
    left = picture(client, page, "0,0,1024,600/512,/0/default.png")  # level 1
    right = picture(client, page, "1024,0,1024,600/512,/0/default.png")
    assert (left.width, left.height) == (right.width, right.height) == (512, 300)
    assert near(colour_at(left, 510, 150), RED) and near(colour_at(left, 511, 150), RED)
    assert near(colour_at(right, 0, 150), GREEN)


@pytest.mark.parametrize("rotation, size, top_left", [
    ("0", (1200, 800), RED),
    ("90", (800, 1200), BLUE),  # clockwise: the bottom-left corner comes to the top left
    ("180", (1200, 800), WHITE),
    ("270", (800, 1200), GREEN),
    ("!0", (1200, 800), GREEN),  # mirrored: left and right change places
    ("!90", (800, 1200), WHITE),  # mirrored, then turned
    ("!180", (1200, 800), BLUE),
    ("360", (1200, 800), RED),
])
def test_rotations_and_mirroring_turn_the_picture(client, page, rotation, size, top_left):
    image = picture(client, page, f"full/max/{rotation}/default.png")
    assert (image.width, image.height) == size
    assert near(colour_at(image, 20, 20), top_left)


def test_an_arbitrary_angle_turns_the_picture_inside_its_bounding_box(client, page):
    image = picture(client, page, "full/600,/45/default.png")  # 600 × 400 turned 45°
    assert abs(image.width - 708) <= 2 and abs(image.height - 708) <= 2
    assert image.hasalpha() and image.getpoint(1, 1)[-1] == 0  # a transparent corner
    jpeg = picture(client, page, "full/600,/22.5/default.jpg")
    assert jpeg.bands == 3 and near(colour_at(jpeg, 1, 1), WHITE)
    # The bounding box is bounded too: 4096² turned by 45° would take twice maxArea.
    square = fetch(client, page, "square/^4096,4096/45/default.jpg", status=400)
    assert b"maxArea" in square.content


@pytest.mark.parametrize("quality, bands", [("default", 3), ("color", 3), ("gray", 1),
                                            ("bitonal", 1)])
def test_every_quality(client, page, quality, bands):
    image = picture(client, page, f"full/300,/0/{quality}.png")
    assert image.bands == bands
    if quality == "bitonal":
        assert set(image.cast("uchar").stats()(0, 0)[:2]) <= {0.0, 255.0}  # min and max
        assert image.get("bits-per-sample") == 1


def test_gray_quality_of_a_colour_page_is_one_band_jpeg(client, page):
    image = picture(client, page, "full/300,/0/gray.jpg")
    assert image.bands == 1 and image.interpretation == "b-w"


@pytest.mark.parametrize("image_format, content_type, magic", [
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("png", "image/png", b"\x89PNG"),
    ("webp", "image/webp", b"RIFF"),
])
def test_every_format(client, page, image_format, content_type, magic):
    response = fetch(client, page, f"full/200,/0/default.{image_format}")
    assert response["Content-Type"] == content_type and response.content.startswith(magic)


@pytest.mark.parametrize("path, message", [
    ("full/max/0/default.gif", b"gif is not offered"),
    ("full/max/0/default.tif", b"tif is not offered"),
    ("full/max/0/default.jp2", b"jp2 is not offered"),
    ("full/max/0/default.pdf", b"pdf is not offered"),
])
def test_formats_of_the_specification_not_offered_are_a_501(client, page, path, message):
    response = fetch(client, page, path, status=501)
    assert message in response.content


@pytest.mark.parametrize("path, message", [
    ("1,2,3/max/0/default.jpg", "Bad region"),
    ("pct:1,2,3/max/0/default.jpg", "Bad region"),
    ("-1,0,10,10/max/0/default.jpg", "Bad region"),
    ("0,0,0,10/max/0/default.jpg", "has no area"),
    ("1200,0,10,10/max/0/default.jpg", "outside the image"),
    ("pct:100,0,10,10/max/0/default.jpg", "outside the image"),
    ("full/full/0/default.jpg", "3.0 says “max”"),
    ("full/,/0/default.jpg", "Bad size"),
    ("full/!100,/0/default.jpg", "!w,h needs both"),
    ("full/pct:0/0/default.jpg", "empty picture"),
    ("full/0,/0/default.jpg", "empty picture"),
    ("full/abc/0/default.jpg", "Bad size"),
    ("full/max/361/default.jpg", "Bad rotation"),
    ("full/max/-90/default.jpg", "Bad rotation"),
    ("full/max/!!90/default.jpg", "Bad rotation"),
    ("full/max/ninety/default.jpg", "Bad rotation"),
    ("full/max/0/best.jpg", "Unknown quality"),
    ("full/max/0/grey.jpg", "Unknown quality"),  # Image API 3.0 spells it gray
    ("full/max/0/default.jpeg", "Unknown format"),
    ("full/max/0/default.xyz", "Unknown format"),
])
def test_bad_requests_are_a_400_saying_what_is_wrong(client, page, path, message):
    response = fetch(client, page, path, status=400)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"  # a viewer elsewhere can read why


def test_an_unknown_page_is_a_404(client, db):
    for path in ("/iiif/3/424242/info.json", "/iiif/3/424242/full/max/0/default.jpg"):
        response = client.get(path)
        assert response.status_code == 404 and b"No image has the identifier" in response.content
    assert client.get("/iiif/3/not-a-number/info.json").status_code == 404
    assert client.get("/iiif/3/a/b/full/max/0/default.jpg").status_code == 404


@pytest.mark.corpus
def test_a_bitonal_scan_is_served_grey_by_default_and_in_colour_when_asked(client, db):
    document = make_document()
    tiff = make_attachment(document, "g4.tif", (SCANS / "frus1964-68v20-d150.tif").read_bytes())
    render_attachment_pages(tiff)
    page = tiff.pages.first()
    assert picture(client, page, "full/,400/0/default.jpg").bands == 1
    assert picture(client, page, "full/,400/0/color.jpg").bands == 3
    assert picture(client, page, "0,0,512,512/max/90/bitonal.png").bands == 1
