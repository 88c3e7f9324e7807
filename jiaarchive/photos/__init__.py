"""Photos as evidence (照片): checks and capture times, lossless labels, captions and A4 sheets.

Modules: ``inspect`` (check_photo, capture_time, open_oriented), ``label`` (write_label,
read_label, label_filename), ``caption`` (find_cjk_font, caption_image, photo_sheet).
Importing the package registers HEIC/HEIF support and sets the decompression-bomb limit
(``formats.MAX_PIXELS``).
"""

from jiaarchive.photos import formats as formats  # noqa: F401  (registers the HEIF opener)
