"""Uploaded images (a school's logo, a parent's photos and screenshots): decoded and written anew.

Checking the first bytes lets a polyglot through (a PNG header in front of HTML or a
script) and keeps whatever else the file carries (EXIF with a location). The image is
decoded with Pillow, refused when it is not a PNG or JPEG, too large in pixels (a
decompression bomb: a few kilobytes that unpack to gigabytes) or broken, and then
written again from its pixels only: nothing but the picture survives. A photo taken
upright on a phone that only says so in its EXIF orientation is turned first, so that it
is not shown on its side once that tag is gone.

HEIC/HEIF (an iPhone's photos) is read with pillow-heif and written as JPEG, which every
staff computer opens.
"""

import io
import warnings

from PIL import Image
from PIL import ImageOps

MAX_PIXELS = 25_000_000  # about 5000 × 5000; a logo or a phone photo is far smaller
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
# What each accepted format is written as.
WRITTEN_AS = {"PNG": "PNG", "JPEG": "JPEG", "HEIF": "JPEG"}


class ImageRefused(ValueError):
    """The upload is not an image we accept; the message is Dutch."""


def _heif():
    """Teach Pillow HEIF (once; pillow-heif is imported only when a HEIC file comes)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def reencode(data, max_pixels=MAX_PIXELS, heif=False):
    """(bytes, mime type) of the image in ``data`` written anew without metadata.
    ``heif``: HEIC/HEIF photos are accepted too (and come back as JPEG)."""
    accepted = {*FORMATS, "HEIF"} if heif else set(FORMATS)
    if heif:
        _heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=sorted(accepted))
            kind = probe.format
            if kind not in accepted:
                raise ImageRefused("Alleen een PNG- of JPEG-afbeelding kan.")
            width, height = probe.size
            if width * height > max_pixels:
                raise ImageRefused("Deze afbeelding is te groot (te veel beeldpunten).")
            probe.verify()  # a broken or truncated file fails here
            image = Image.open(io.BytesIO(data), formats=[kind])
            image.load()
            image = ImageOps.exif_transpose(image)
    except ImageRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("Dit bestand is geen geldige PNG- of JPEG-afbeelding.") from None
    # A new image from the pixels alone: no EXIF, no text chunks, nothing appended.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    written = WRITTEN_AS[kind]
    if written == "JPEG":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), FORMATS[written]
