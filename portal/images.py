"""Uploaded images (a school's logo now, attachments later): decoded and written anew.

Checking the first bytes lets a polyglot through (a PNG header in front of HTML or a
script) and keeps whatever else the file carries (EXIF with a location). The image is
decoded with Pillow, refused when it is not a PNG or JPEG, too large in pixels (a
decompression bomb: a few kilobytes that unpack to gigabytes) or broken, and then
written again from its pixels only: nothing but the picture survives.
"""

import io
import warnings

from PIL import Image

MAX_PIXELS = 25_000_000  # about 5000 × 5000; a logo or a phone photo is far smaller
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ImageRefused(ValueError):
    """The upload is not an image we accept; the message is Dutch."""


def reencode(data, max_pixels=MAX_PIXELS):
    """(bytes, mime type) of the image in ``data`` written anew without metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            kind = probe.format
            if kind not in FORMATS:
                raise ImageRefused("Alleen een PNG- of JPEG-afbeelding kan.")
            width, height = probe.size
            if width * height > max_pixels:
                raise ImageRefused("Deze afbeelding is te groot (te veel beeldpunten).")
            probe.verify()  # a broken or truncated file fails here
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("Dit bestand is geen geldige PNG- of JPEG-afbeelding.") from None
    # A new image from the pixels alone: no EXIF, no text chunks, nothing appended.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    if kind == "JPEG":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), FORMATS[kind]
