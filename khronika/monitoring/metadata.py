"""Stripping identifying metadata from a file before it is stored.

A photograph's EXIF can hold where and when it was taken and with which phone; a PDF's information
dictionary and XMP can hold its author and the software of their office. The stored copy keeps none of
it. Images are re-encoded without metadata (after turning them upright as their EXIF orientation says);
PDFs are rewritten without their information dictionary and XMP. Other kinds of file are stored as they
came, and the record says that nothing was removed, so nobody relies on a stripping that did not happen.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
}
# What in ``info`` draws the picture, and is kept.
_PIXEL_INFO = {"transparency", "duration", "loop", "background", "gamma"}
# Encoding details in ``info`` that say nothing of who or where: not listed as removed.
_ENCODING_INFO = {"dpi", "jfif", "jfif_density", "jfif_unit", "jfif_version", "progressive", "progression"}
_ENCODING_INFO |= {"adobe", "adobe_transform", "aspect", "compression", "interlace"}


class UnreadableFile(ValueError):
    """The file says it is an image or a PDF but cannot be read as one."""


@dataclass
class Stripped:
    content: bytes
    media_type: str
    removed: list[str] = field(default_factory=list)  # what was removed: "EXIF", "XMP", "PDF information"…
    stripped: bool = False  # whether this kind of file is one whose metadata Khronika strips


def strip_metadata(content: bytes) -> Stripped:
    """The file without its metadata, as far as its kind allows."""
    if content.startswith(b"%PDF-"):
        return _pdf(content)
    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        if _looks_like_image(content):
            raise UnreadableFile("the file looks like an image but cannot be read") from None
        return Stripped(content=content, media_type="application/octet-stream")
    return _image(image)


def _looks_like_image(content: bytes) -> bool:
    return content[:3] == b"\xff\xd8\xff" or content[:8] == b"\x89PNG\r\n\x1a\n" or content[:4] == b"GIF8"


def _image(image: Image.Image) -> Stripped:
    kind = image.format or "PNG"
    removed = ["EXIF"] if image.getexif() else []
    removed += sorted(
        {
            "XMP" if "xmp" in str(key).lower() else str(key)
            for key in image.info
            if key not in _PIXEL_INFO and str(key).lower() not in _ENCODING_INFO | {"exif"}
        }
    )
    clean = (ImageOps.exif_transpose(image) or image).copy()
    # Only what draws the picture is kept: a PNG's text chunks, an ICC profile or XMP left in ``info``
    # would be written again.
    clean.info = {key: value for key, value in image.info.items() if key in _PIXEL_INFO}
    out = io.BytesIO()
    save_as = kind if kind in IMAGE_TYPES else "PNG"
    options = {"quality": 95} if save_as == "JPEG" else {}
    clean.save(out, format=save_as, **options)
    return Stripped(
        content=out.getvalue(),
        media_type=IMAGE_TYPES.get(save_as, "image/png"),
        removed=removed,
        stripped=True,
    )


def _pdf(content: bytes) -> Stripped:
    try:
        reader = PdfReader(io.BytesIO(content))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnreadableFile("the file looks like a PDF but cannot be read") from exc
    removed = []
    if reader.metadata:
        removed.append("PDF information")
    if reader.xmp_metadata is not None:
        removed.append("XMP")
    out = io.BytesIO()
    writer.write(out)
    return Stripped(content=out.getvalue(), media_type="application/pdf", removed=removed, stripped=True)
