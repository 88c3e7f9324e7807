"""Errors the photo library raises; each message is one Chinese sentence naming the file."""

from __future__ import annotations

from jiaarchive.errors import JiaError


class PhotoError(JiaError):
    """Base class for failures of the photo library a user can cause."""


class NotAPhoto(PhotoError):
    """The file is empty, not an image, or a format outside the allow-list."""


class PhotoDamaged(PhotoError):
    """The image cannot be decoded (truncated or corrupt) or is a decompression bomb."""


class LabelNotWritable(PhotoError):
    """The label cannot be written losslessly into this file."""


class FontNotFound(PhotoError):
    """No Simplified-Chinese font is installed (or the configured one is unusable)."""
