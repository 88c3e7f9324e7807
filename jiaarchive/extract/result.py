"""The outcome of extracting one file (提取结果) and its Chinese explanation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STATUSES = (
    "ok",  # text extracted
    "empty",  # readable, no text
    "no_text_layer",  # 无文字层: a scanned / image-only PDF
    "encrypted",  # 已加密
    "unsupported",  # a type we do not read
    "corrupt",  # damaged or truncated
    "timeout",  # killed after the time limit
    "too_large",  # over the size or memory limit
    "error",  # anything else (a bug or a crash of a parser)
)

STATUS_LABELS = {
    "ok": "已提取",
    "empty": "无文字",
    "no_text_layer": "无文字层",
    "encrypted": "已加密",
    "unsupported": "不支持",
    "corrupt": "已损坏",
    "timeout": "超时",
    "too_large": "过大",
    "error": "出错",
}


@dataclass(frozen=True)
class Extraction:
    """Text of one file, or why there is none.

    ``reason`` is one Chinese sentence naming the file when ``status != 'ok'`` (else '').
    ``truncated`` is True when the text was cut at ``MAX_TEXT_CHARS`` (or a text file was
    read only up to ``MAX_TEXT_FILE_BYTES``); ``detail`` is a technical note for logs.
    """

    text: str
    status: str
    reason: str
    kind: str
    encoding: str | None = None
    truncated: bool = False
    detail: str = ""
    ocr_pages: tuple[int, ...] = ()  # pages (0-based) without a text layer: for text recognition

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def reason_for(status: str, path: Path, *, label: str = "", timeout: float = 0.0, memory_mb: int = 0) -> str:
    """One Chinese sentence explaining a status for the file at ``path``."""
    name = f"“{Path(path).name}”"
    if status == "ok":
        return ""
    if status == "empty":
        return f"文件{name}可以打开，但其中没有可提取的文字。"
    if status == "no_text_layer":
        return f"文件{name}是扫描件或图片型 PDF，无文字层，其中的文字经文字识别后才能检索。"
    if status == "encrypted":
        return f"文件{name}已加密，需要密码才能读取内容。"
    if status == "unsupported":
        what = f"（{label}）" if label else ""
        return f"文件{name}的类型{what}暂不支持提取文字。"
    if status == "corrupt":
        return f"文件{name}已损坏或不完整，无法读取其中的文字。"
    if status == "timeout":
        return f"文件{name}提取文字超过 {timeout:g} 秒，已中止。"
    if status == "too_large":
        limit = f"或所需内存超过 {memory_mb} MB" if memory_mb else ""
        return f"文件{name}过大{limit}，已停止提取文字。"
    return f"文件{name}提取文字时发生意外错误。"
