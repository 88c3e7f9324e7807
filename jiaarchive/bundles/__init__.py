"""Bundles (数据包): a unit's evidence as one verifiable package (issue 14).

A bundle is a BagIt bag (RFC 8493) in a zip, made and validated with the Library of Congress's
``bagit`` library.  Layout inside the zip (the bag is the zip's root)::

    bagit.txt
    bag-info.txt                 unit, unit type, level, application year, record count,
                                 exported by and when, the selection (BagIt labels + ours)
    manifest-sha256.txt          every payload file's SHA-256
    tagmanifest-sha256.txt       the SHA-256 of the three files above (bag-info is covered too)
    data/A 效益（绩效）之家/A-1 …/2021/2021-05-20 题名.docx     the files, in the archive's own folders
    data/jiaarchive/bundle.json      what the bundle is (format, unit, counts, schema revision)
    data/jiaarchive/metadata.jsonl   the records (档号, every former 档号, files and checksums,
                                     links, photo labels), their whole history, the unit profile
                                     and the scores, in the metadata log's own format (``metalog``)
    data/jiaarchive/texts.jsonl      each record's searchable text (what the unit's index holds)
    data/jiaarchive/coverage.json    the 迎检报告 as ``jiaarchive report --json`` gives it
    data/报告/迎检报告.html              the same report for a person without the software
    data/报告/归档文件目录.xlsx           the 归档文件目录 of the records in the bundle

``make.write_bundle`` writes one, ``check.open_bundle`` unpacks one safely (the inbox's
``zipsafe`` rules) and verifies every checksum before anything reads it, ``load.import_bundle``
loads its records into an archive.
"""

from __future__ import annotations

FORMAT = "jiaarchive-bundle/1"
META_DIR = "jiaarchive"
BUNDLE_JSON = f"{META_DIR}/bundle.json"
METADATA = f"{META_DIR}/metadata.jsonl"
TEXTS = f"{META_DIR}/texts.jsonl"
COVERAGE = f"{META_DIR}/coverage.json"
REPORT_DIR = "报告"
REPORT_HTML = f"{REPORT_DIR}/迎检报告.html"
REPORT_LIST = f"{REPORT_DIR}/归档文件目录.xlsx"

# bag-info.txt labels (BagIt reserved ones where they fit, ours otherwise)
INFO_UNIT = "Source-Organization"
INFO_UNIT_TYPE = "Unit-Type"
INFO_LEVEL = "Unit-Level"
INFO_YEAR = "Application-Year"
INFO_RECORDS = "Record-Count"
INFO_BY = "Exported-By"
INFO_AT = "Exported-At"
INFO_SELECTION = "External-Description"
