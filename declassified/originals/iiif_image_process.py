"""Make the picture an Image API request asks for, from a page's tiled pyramidal master.

    data = render_image(master_path, request)   # encoded bytes (jpg, png or webp)

The master (masters.py) holds the page at full size and halved again and again, each level a
TIFF page of 256 px tiles. A request is answered from the smallest level that still has at
least the pixels asked for, and libvips decodes only the tiles under the region: a 512 px
tile of a 300 dpi page costs about 10 ms, whatever the page's size.
"""

from __future__ import annotations

from pathlib import Path

import pyvips

from declassified.originals.iiif_image import ImageRequest

JPEG_QUALITY = 85
WEBP_QUALITY = 80
WHITE = [255, 255, 255]


def render_image(master: Path, request: ImageRequest) -> bytes:
    image = _region_at_size(master, request.region, request.size)
    image = _rotated(image, request)
    image = _with_quality(image, request.quality)
    return _encoded(image, request)


def _region_at_size(master: Path, region: tuple[int, int, int, int],
                    size: tuple[int, int]) -> pyvips.Image:
    """The region of the page, resampled to exactly `size`, read from the best level."""
    full = pyvips.Image.new_from_file(str(master))
    levels = int(full.get("n-pages")) if "n-pages" in full.get_fields() else 1
    x, y, w, h = region
    target_w, target_h = size
    image, level = full, 0
    # Smaller levels are halved: take the smallest that keeps at least the pixels asked for.
    for candidate in range(1, levels):
        if w / 2**candidate < target_w or h / 2**candidate < target_h:
            break
        level = candidate
    if level:
        image = pyvips.Image.new_from_file(str(master), page=level)
    # Level pixel i is the mean of full-size pixels 2^level·i …: scale by exactly 1/2^level
    # (not level width / page width, which the rounding down skews), so that neighbouring
    # tiles meet without a pixel's seam or overlap.
    left = min(x >> level, image.width - 1)
    top = min(y >> level, image.height - 1)
    crop_w = max(1, min(round(w / 2**level), image.width - left))
    crop_h = max(1, min(round(h / 2**level), image.height - top))
    if abs(crop_w - target_w) <= 1 and abs(crop_h - target_h) <= 1:
        # A level's halving rounds down: within one pixel of the size, crop rather than
        # resample (a sharp tile, and the cheapest path: no resize at all).
        crop_w = min(target_w, image.width - left)
        crop_h = min(target_h, image.height - top)
        return _exactly(image.crop(left, top, crop_w, crop_h), target_w, target_h)
    cropped = image.crop(left, top, crop_w, crop_h)
    resized = cropped.resize(target_w / crop_w, vscale=target_h / crop_h, kernel="lanczos3")
    return _exactly(resized, target_w, target_h)


def _exactly(image: pyvips.Image, width: int, height: int) -> pyvips.Image:
    """Rounding inside libvips may leave a pixel too many or too few: crop or repeat the edge."""
    if image.width == width and image.height == height:
        return image
    image = image.crop(0, 0, min(width, image.width), min(height, image.height))
    if image.width < width or image.height < height:
        image = image.embed(0, 0, width, height, extend="copy")
    return image


def _rotated(image: pyvips.Image, request: ImageRequest) -> pyvips.Image:
    if request.mirror:
        image = image.fliphor()
    angle = request.rotation
    if angle == 0:
        return image
    if angle in (90, 180, 270):
        return image.rot(f"d{int(angle)}")
    # Any other angle: the picture grows to the rotated bounding box; the corners are
    # transparent in PNG and WebP, white in JPEG (the specification leaves the colour open).
    if request.format in ("png", "webp") and not image.hasalpha():
        image = image.bandjoin(255)
        return image.rotate(angle, background=[0] * image.bands)
    return image.rotate(angle, background=WHITE[: image.bands])


def _with_quality(image: pyvips.Image, quality: str) -> pyvips.Image:
    if quality in ("default", "color"):
        if image.bands in (1, 2) and quality == "color":
            return image.colourspace("srgb")
        return image
    alpha = image[image.bands - 1] if image.hasalpha() else None
    colour = image.extract_band(0, n=image.bands - 1) if alpha is not None else image
    grey = colour.colourspace("b-w") if colour.bands >= 3 else colour
    if quality == "bitonal":
        grey = (grey > 127).ifthenelse(255, 0).cast("uchar")
    return grey.bandjoin(alpha) if alpha is not None else grey


def _encoded(image: pyvips.Image, request: ImageRequest) -> bytes:
    if image.format != "uchar":
        image = image.cast("uchar")
    if request.format == "jpg":
        if image.hasalpha():
            image = image.flatten(background=WHITE[: image.bands - 1])
        return image.jpegsave_buffer(Q=JPEG_QUALITY, keep="none", optimize_coding=True)
    if request.format == "png":
        bitonal = request.quality == "bitonal" and not image.hasalpha()
        return image.pngsave_buffer(compression=3, keep="none", bitdepth=1 if bitonal else 8)
    return image.webpsave_buffer(Q=WEBP_QUALITY, keep="none")
