"""IIIF Image API 3.0: a request's region, size, rotation, quality and format, read and checked
against one page's pixel size, and the page's info.json. No file is touched here.

    request = parse_image_request(region, size, rotation, "default", "jpg", width, height)
    request.region  # (x, y, w, h) in full-size pixels, inside the page
    request.size    # (w, h) of the picture returned (before rotation)
    info = image_information(base_id, width, height)

Bad syntax raises BadImageRequest (the answer is a 400 with its message); a well-formed
request for something this server does not do raises UnsupportedImageRequest (a 501).
The rules are https://iiif.io/api/image/3.0/ sections 4.1–4.5; upscaling is allowed only
with "^", as the specification says (a size larger than the region without it is a 400).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROTOCOL = "http://iiif.io/api/image"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
# Tiles offered to viewers: 512 px regions (4 of the master's 256 px tiles) mean a quarter
# of the requests of 256 px ones for the same screen, each still ~10 ms to make.
TILE_SIZE = 512
MASTER_TILE_SIZE = 256
# The largest picture made for one request (width × height): a bounded amount of time and
# memory, whatever the size asked for ("^max" of a small region included). 4096² px.
MAX_AREA = 4096 * 4096

FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Formats of the specification this server does not make: 501, not 400.
KNOWN_FORMATS = {"tif", "gif", "jp2", "pdf"}
QUALITIES = ("default", "color", "gray", "bitonal")
# Beyond level 2 (whose features — regions, sizes, 90° turns, CORS, JSON-LD, the base URI
# redirect — are all served too): exactly what this server does.
EXTRA_FEATURES = ["canonicalLinkHeader", "mirroring", "profileLinkHeader", "rotationArbitrary",
                  "sizeUpscaling"]

_NUMBER = r"\d+(?:\.\d+)?"
_PIXELS_REGION = re.compile(r"(\d+),(\d+),(\d+),(\d+)")
_PERCENT_REGION = re.compile(rf"pct:({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})")
_SIZE = re.compile(r"(\^)?(?:(max)|pct:(" + _NUMBER + r")|(!)?(\d+)?,(\d+)?)")
_ROTATION = re.compile(rf"(!)?({_NUMBER})")


class BadImageRequest(ValueError):
    """The request is not a valid Image API 3.0 request for this image (a 400)."""


class UnsupportedImageRequest(ValueError):
    """A valid request for a feature this server does not implement (a 501)."""


@dataclass(frozen=True)
class ImageRequest:
    region: tuple[int, int, int, int]
    size: tuple[int, int]
    mirror: bool
    rotation: float
    quality: str
    format: str

    def canonical_path(self, width: int, height: int) -> str:
        """The request's canonical URI form (Image API 3.0 section 4.7), after the identifier,
        for a page of width × height: the Link rel="canonical" of the answer."""
        x, y, w, h = self.region
        region = "full" if self.region == (0, 0, width, height) else f"{x},{y},{w},{h}"
        largest = _max_size(w, h, upscale=False)
        if self.size == largest:
            size = "max"
        else:
            caret = "^" if self.size[0] > w or self.size[1] > h else ""
            size = f"{caret}{self.size[0]},{self.size[1]}"
        rotation = f"{'!' if self.mirror else ''}{self.rotation:g}"
        return f"{region}/{size}/{rotation}/{self.quality}.{self.format}"

    def canonical(self) -> str:
        """The request in one normal form: two spellings of the same picture share it (the
        tile cache's key)."""
        x, y, w, h = self.region
        rotation = f"{'!' if self.mirror else ''}{self.rotation:g}"
        # "default" stays itself: a greyscale page's default is grey, its "color" is not.
        return (f"{x},{y},{w},{h}/{self.size[0]},{self.size[1]}/{rotation}/"
                f"{self.quality}.{self.format}")


def parse_image_request(region: str, size: str, rotation: str, quality: str,
                        image_format: str, width: int, height: int) -> ImageRequest:
    """Read the path's parts against a page of width × height pixels."""
    if quality not in QUALITIES:
        raise BadImageRequest(f"Unknown quality “{quality}”: use one of {', '.join(QUALITIES)}")
    if image_format not in FORMATS:
        if image_format in KNOWN_FORMATS:
            raise UnsupportedImageRequest(f"The format {image_format} is not offered: use "
                                          f"{', '.join(FORMATS)}")
        raise BadImageRequest(f"Unknown format “{image_format}”: use {', '.join(FORMATS)}")
    box = parse_region(region, width, height)
    mirror, angle = parse_rotation(rotation)
    picture_size = parse_size(size, box[2], box[3])
    if angle % 90:  # a turned picture grows to its bounding box: keep that within maxArea too
        radians = math.radians(angle)
        w, h = picture_size
        turned_w = w * abs(math.cos(radians)) + h * abs(math.sin(radians))
        turned_h = w * abs(math.sin(radians)) + h * abs(math.cos(radians))
        if turned_w * turned_h > MAX_AREA:
            raise BadImageRequest(f"Turned by {angle:g}°, the picture would be larger than this "
                                  f"server makes (maxArea {MAX_AREA} px): ask for a smaller size")
    return ImageRequest(region=box, size=picture_size, mirror=mirror, rotation=angle,
                        quality=quality, format=image_format)


def parse_region(region: str, width: int, height: int) -> tuple[int, int, int, int]:
    """The region as x, y, w, h in pixels, cut to the image (a region wholly outside is a 400)."""
    if region == "full":
        return 0, 0, width, height
    if region == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    if match := _PIXELS_REGION.fullmatch(region):
        x, y, w, h = (int(part) for part in match.groups())
    elif match := _PERCENT_REGION.fullmatch(region):
        px, py, pw, ph = (float(part) for part in match.groups())
        x, y = math.floor(px * width / 100), math.floor(py * height / 100)
        w, h = round(pw * width / 100), round(ph * height / 100)
    else:
        raise BadImageRequest(f"Bad region “{region}”: use full, square, x,y,w,h or "
                              f"pct:x,y,w,h")
    if w <= 0 or h <= 0:
        raise BadImageRequest(f"The region “{region}” has no area")
    if x >= width or y >= height:
        raise BadImageRequest(f"The region “{region}” lies outside the image "
                              f"({width} × {height} px)")
    return x, y, min(w, width - x), min(h, height - y)


def parse_size(size: str, region_width: int, region_height: int) -> tuple[int, int]:
    """The returned picture's width and height for a region of that many pixels."""
    match = _SIZE.fullmatch(size)
    if match is None or (match[5] is None and match[6] is None and not match[2]
                         and match[3] is None):
        hint = " (“full” is Image API 2; 3.0 says “max”)" if size == "full" else ""
        raise BadImageRequest(f"Bad size “{size}”{hint}: use max, ^max, w,, ,h, pct:n, w,h or "
                              f"!w,h")
    upscale, is_max, percent, confined, w_text, h_text = match.groups()
    if is_max:
        return _max_size(region_width, region_height, upscale=bool(upscale))
    if percent is not None:
        scale = float(percent) / 100
        wanted = (round(region_width * scale), round(region_height * scale))
    elif confined:
        if w_text is None or h_text is None:
            raise BadImageRequest(f"Bad size “{size}”: !w,h needs both numbers")
        scale = min(int(w_text) / region_width, int(h_text) / region_height)
        wanted = (round(region_width * scale), round(region_height * scale))
    else:
        wanted = _width_height(w_text, h_text, region_width, region_height)
    return _checked_size(size, wanted, region_width, region_height, upscale=bool(upscale))


def _width_height(w_text: str | None, h_text: str | None, region_width: int,
                  region_height: int) -> tuple[int, int]:
    if w_text is not None and h_text is not None:
        return int(w_text), int(h_text)
    if w_text is not None:
        return int(w_text), round(int(w_text) * region_height / region_width)
    assert h_text is not None
    return round(int(h_text) * region_width / region_height), int(h_text)


def _max_size(region_width: int, region_height: int, *, upscale: bool) -> tuple[int, int]:
    area = region_width * region_height
    if area <= MAX_AREA and not upscale:
        return region_width, region_height
    scale = math.sqrt(MAX_AREA / area)
    if not upscale:
        scale = min(scale, 1.0)
    return max(1, math.floor(region_width * scale)), max(1, math.floor(region_height * scale))


def _checked_size(text: str, wanted: tuple[int, int], region_width: int, region_height: int,
                  *, upscale: bool) -> tuple[int, int]:
    w, h = wanted
    if w <= 0 or h <= 0:
        raise BadImageRequest(f"The size “{text}” gives an empty picture")
    if not upscale and (w > region_width or h > region_height):
        raise BadImageRequest(f"The size “{text}” is larger than the region ({region_width} × "
                              f"{region_height} px): prefix it with ^ to upscale")
    if w * h > MAX_AREA:
        raise BadImageRequest(f"The size “{text}” is larger than this server makes "
                              f"(maxArea {MAX_AREA} px)")
    return w, h


def parse_rotation(rotation: str) -> tuple[bool, float]:
    """(mirror first?, clockwise degrees in [0, 360))."""
    match = _ROTATION.fullmatch(rotation)
    if match is None or float(match[2]) > 360:
        raise BadImageRequest(f"Bad rotation “{rotation}”: a number of degrees from 0 to 360, "
                              f"! in front to mirror")
    return bool(match[1]), float(match[2]) % 360


def pyramid_levels(width: int, height: int) -> list[tuple[int, int]]:
    """The sizes of a master's pyramid levels, full size first: what libvips writes (halved,
    rounded down, until the level fits in one master tile)."""
    levels = [(width, height)]
    while width > MASTER_TILE_SIZE or height > MASTER_TILE_SIZE:
        width, height = max(1, width // 2), max(1, height // 2)
        levels.append((width, height))
    return levels


def image_information(base_id: str, width: int, height: int) -> dict:
    """The info.json of a page (Image API 3.0 section 5): made from its size alone."""
    levels = pyramid_levels(width, height)
    sizes = [{"width": w, "height": h} for w, h in reversed(levels) if w * h <= MAX_AREA]
    scale_factors = [2**level for level in range(len(levels))
                     if (TILE_SIZE << level) < 2 * max(width, height) or level == 0]
    return {
        "@context": CONTEXT,
        "id": base_id,
        "type": "ImageService3",
        "protocol": PROTOCOL,
        "profile": "level2",
        "width": width,
        "height": height,
        "maxArea": MAX_AREA,
        "sizes": sizes,
        "tiles": [{"width": TILE_SIZE, "height": TILE_SIZE, "scaleFactors": scale_factors}],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFormats": ["png", "webp"],
        "extraFeatures": EXTRA_FEATURES,
    }
