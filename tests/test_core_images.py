"""Uploaded images are decoded and written anew: polyglots, SVG, broken files and
decompression bombs are refused; what is kept carries no metadata (EXIF, a location)."""

import io

import pytest
from PIL import Image

from portal.images import ImageRefused
from portal.images import reencode


def _jpeg_with_exif():
    exif = Image.Exif()
    exif[0x010F] = "Camera-met-GPS"
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 200, 30)).save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_metadata_is_stripped():
    original = _jpeg_with_exif()
    data, kind = reencode(original)
    assert kind == "image/jpeg" and b"Camera-met-GPS" in original and b"Camera-met-GPS" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_png_kept_as_png():
    buf = io.BytesIO()
    Image.new("RGBA", (8, 8), (1, 2, 3, 4)).save(buf, format="PNG")
    data, kind = reencode(buf.getvalue())
    assert kind == "image/png" and Image.open(io.BytesIO(data)).size == (8, 8)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",  # a PNG header before HTML
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"GIF89a" + b"\x00" * 40,
        _jpeg_with_exif()[:60],  # truncated
    ],
)
def test_not_an_image_we_accept(data):
    with pytest.raises(ImageRefused):
        reencode(data)


def test_a_decompression_bomb_is_refused():
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, format="PNG")  # 50 kB that unpack to 400 M pixels
    assert len(buf.getvalue()) < 100_000
    with pytest.raises(ImageRefused):
        reencode(buf.getvalue())


def test_a_real_image_carrying_a_script_keeps_only_its_pixels():
    """A polyglot that is a valid PNG as well: HTML after the image's end and in a text chunk.
    Accepted as the picture it is, written anew without either."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert('tekst')</script>")
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(buf, format="PNG", pnginfo=info)
    polyglot = buf.getvalue() + b"<html><script>alert('achter')</script></html>"
    assert b"<script>" in polyglot
    data, kind = reencode(polyglot)
    assert kind == "image/png" and b"<script" not in data and b"alert" not in data
    assert Image.open(io.BytesIO(data)).getpixel((3, 3)) == (200, 10, 10)
