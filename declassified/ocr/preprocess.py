"""A page image made easy for Tesseract: grey, flat white paper, text lines level.

    page = prepared(image)            # a Prepared: the grey image Tesseract reads, and the angle
    page.original_box(x, y, w, h)     # a box in Tesseract's pixels -> the given image's pixels

Measured on the scan corpus (docs/ocr.md, "How pages are read"): dividing by the paper's own
brightness lifts faded ribbon off mottled, stained or shadowed paper (Tesseract's global Otsu
threshold otherwise loses whole lines), and levelling the lines matters most: on pages turned
by a degree or more, tight typewriter lines overlap, Tesseract's line finder merges two lines
into one and reads only one of them. A sharpening upscale or a median filter made pages worse.
Only libvips is used (no numpy): a few tens of milliseconds a page.
"""

from __future__ import annotations

import array
import math
from dataclasses import dataclass

import pyvips

# The paper's brightness is estimated on a copy this many times smaller: typed strokes are a
# few pixels wide there, so a 7-pixel maximum filter removes them and keeps stains and shadows.
BACKGROUND_SHRINK = 8
BACKGROUND_WINDOW = 7
BACKGROUND_BLUR_SIGMA = 3.75

# Skew is searched up to this angle (degrees; scanned pages are rarely turned more), first in
# coarse then in fine steps, on a copy this wide; angles below the last are left alone.
MAX_SKEW_DEGREES = 2.0
SKEW_COARSE_STEP = 0.2
SKEW_FINE_STEP = 0.05
SKEW_PROBE_WIDTH = 640
MIN_SKEW_DEGREES = 0.1


# Masters wider than this are read at this width (after levelling): a letter page at 200 dpi.
# Tesseract's time grows with the pixels, and the corpus PDFs' 300-dpi masters (upsampled from
# 150-200 dpi scans) read better at this width (English clean 0.78 -> 0.70 % CER, moderate
# 1.05 -> 0.92 %, Chinese moderate 11 -> 2.6 %) and 7 % faster. 0 reads at full size.
MAX_READING_WIDTH = 1700


@dataclass(frozen=True)
class Prepared:
    image: pyvips.Image  # one band, uchar
    angle: float  # degrees the page was turned by to level its lines
    scale: float  # image's size / the given image's (after levelling)
    width: int  # the given image's size
    height: int

    def original_box(self, x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
        """The axis-aligned box, in the given image's pixels, of a box in `image`'s pixels."""
        if self.scale != 1:
            x, y, w, h = (round(v / self.scale) for v in (x, y, w, h))
        if self.angle == 0:
            return x, y, w, h
        turn = math.radians(self.angle)
        cos, sin = math.cos(turn), math.sin(turn)
        cx, cy = self.width / 2, self.height / 2
        xs, ys = [], []
        for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            # the inverse of the levelling rotation about the centre
            dx, dy = px - cx, py - cy
            xs.append(cos * dx - sin * dy + cx)
            ys.append(sin * dx + cos * dy + cy)
        left, top = max(0, round(min(xs))), max(0, round(min(ys)))
        right, bottom = min(self.width, round(max(xs))), min(self.height, round(max(ys)))
        return left, top, max(0, right - left), max(0, bottom - top)


def prepared(image: pyvips.Image) -> Prepared:
    """The page flattened and levelled. Lazy where it can be: the full-size image is computed
    once, when Tesseract's input is written; the paper and the skew are found on small copies."""
    grey = greyscale(image)
    paper = paper_brightness(grey)
    if paper is None:
        return Prepared(image=grey, angle=0.0, scale=1.0, width=image.width,
                        height=image.height)
    scale = min(1.0, SKEW_PROBE_WIDTH / grey.width)
    probe = _divided(grey.resize(scale, kernel="linear"), paper).copy_memory()
    angle = skew_angle(probe)
    reading = levelled(_divided(grey, paper), angle)
    scale = 1.0
    if MAX_READING_WIDTH and reading.width > MAX_READING_WIDTH:
        scale = MAX_READING_WIDTH / reading.width
        reading = reading.resize(scale, kernel="linear")
    return Prepared(image=reading, angle=angle, scale=scale, width=image.width,
                    height=image.height)


def greyscale(image: pyvips.Image) -> pyvips.Image:
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    if image.bands >= 3:
        image = image.colourspace("b-w")
    return image.extract_band(0).cast("uchar")


def paper_brightness(grey: pyvips.Image) -> pyvips.Image | None:
    """The paper's brightness, on a copy BACKGROUND_SHRINK times smaller: a closing wide enough
    to remove typed strokes keeps stains, folds, shadows and the paper's tint; None for an
    image too small to tell (a thumbnail, a strip)."""
    if min(grey.width, grey.height) < BACKGROUND_SHRINK * BACKGROUND_WINDOW * 4:
        return None
    small = grey.resize(1 / BACKGROUND_SHRINK, kernel="linear")
    window = BACKGROUND_WINDOW
    paper = small.rank(window, window, window * window - 1).rank(window, window, 0)
    return paper.gaussblur(BACKGROUND_BLUR_SIGMA).copy_memory()


def _divided(grey: pyvips.Image, paper: pyvips.Image) -> pyvips.Image:
    """grey / paper, scaled so the paper is white (255); `paper` is resized to grey's size."""
    paper = paper.resize(grey.width / paper.width, vscale=grey.height / paper.height,
                         kernel="linear")
    if (paper.width, paper.height) != (grey.width, grey.height):
        paper = paper.embed(0, 0, grey.width, grey.height, extend="copy")
    flat = grey.cast("float") / (paper.cast("float") + 1) * 256
    return (flat > 255).ifthenelse(255, flat).cast("uchar")


def skew_angle(grey: pyvips.Image) -> float:
    """The turn (degrees) that levels the text lines of a small flattened copy: the one whose
    row profile of dark pixels is sharpest (text lines and the gaps between them apart)."""
    if grey.width < 100 or grey.height < 100:
        return 0.0
    ink = (grey < otsu_threshold(grey)).ifthenelse(1, 0).cast("uchar").copy_memory()

    def sharpness(angle: float) -> float:
        rows = _row_sums(_turned(ink, angle, background=0, interpolation="nearest"))
        steps = [b - a for a, b in zip(rows, rows[1:], strict=False)]
        mean = sum(steps) / len(steps)
        return sum((s - mean) ** 2 for s in steps)

    coarse = _angles(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, SKEW_COARSE_STEP)
    best = max(coarse, key=sharpness)
    fine = _angles(best - SKEW_COARSE_STEP, best + SKEW_COARSE_STEP, SKEW_FINE_STEP)
    best = max(fine, key=sharpness)
    return round(best, 2) if abs(best) >= MIN_SKEW_DEGREES else 0.0


def levelled(grey: pyvips.Image, angle: float) -> pyvips.Image:
    return _turned(grey, angle, background=255) if angle else grey


def otsu_threshold(grey: pyvips.Image) -> int:
    counts = grey.hist_find().tolist()[0]
    total = sum(counts)
    weighted_total = sum(i * c for i, c in enumerate(counts))
    below = weighted_below = 0.0
    best, best_value = 128, -1.0
    for level, count in enumerate(counts):
        below += count
        if below == 0 or below == total:
            continue
        weighted_below += level * count
        mean_below = weighted_below / below
        mean_above = (weighted_total - weighted_below) / (total - below)
        value = below * (total - below) * (mean_below - mean_above) ** 2
        if value > best_value:
            best, best_value = level + 1, value
    return best


def _turned(image: pyvips.Image, angle: float, *, background: int,
            interpolation: str = "bilinear") -> pyvips.Image:
    """Turned about its centre by `angle` degrees, same size (corners filled)."""
    turn = math.radians(angle)
    cos, sin = math.cos(turn), math.sin(turn)
    cx, cy = image.width / 2, image.height / 2
    return image.affine([cos, sin, -sin, cos], idx=-cx, idy=-cy, odx=cx, ody=cy,
                        oarea=[0, 0, image.width, image.height], background=[background],
                        interpolate=pyvips.Interpolate.new(interpolation))


def _row_sums(image: pyvips.Image) -> list[float]:
    _, rows = image.project()
    sums = array.array("d")
    sums.frombytes(rows.cast("double").write_to_memory())
    return list(sums)


def _angles(start: float, stop: float, step: float) -> list[float]:
    count = round((stop - start) / step)
    return [start + i * step for i in range(count + 1)]
