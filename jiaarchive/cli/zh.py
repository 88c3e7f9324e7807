"""Click's own messages (usage errors, help headings) in Chinese.

Click marks its user-facing strings for ``gettext`` and looks them up through the ``_``
and ``ngettext`` names of each of its modules; :func:`install` points those names at
this table, so a clerk who mistypes an option reads “错误：没有 '--yaer' 这个选项。”
instead of English.  Strings not in the table (programming errors in command
definitions, Windows console errors) stay as Click wrote them.  The keys are Click's
message ids verbatim (checked against the installed Click by the tests).
"""

from __future__ import annotations

import sys

from ..terms import RECORD_FIELDS

MESSAGES: dict[str, str] = {
    # errors a clerk can cause
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 “{command} {option}” 查看用法。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有 {name!r} 这个选项。",
    "No such command {name!r}.": "没有 {name!r} 这个命令。",
    "Did you mean {possibility}?": "是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要用其中一个：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能跟值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要跟一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要跟 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 要有 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Takes {nargs} values but 1 was given.": "要有 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "要有 {nargs} 个值，给了 {len} 个。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "Invalid start character for option ({option})": "选项的开头字符不对（{option}）",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    "Aborted!": "已取消。",
    # values of typed options
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 的范围内。",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not {choice}.": "{value!r} 不对，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不对，只能是 {choices} 之一。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats} 中的任何一种。",
    "{len_type} values are required, but {len_value} was given.":
        "要有 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.":
        "要有 {len_type} 个值，给了 {len_value} 个。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取（没有权限）。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入（没有权限）。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不能执行。",
    # prompts
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不再询问，直接执行。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    # help
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "deprecated": "已停用",
    "(dynamic)": "（动态）",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Route the messages of Click's loaded modules through :data:`MESSAGES`."""
    import click  # noqa: F401  (loads the modules patched below)

    for name, mod in list(sys.modules.items()):
        if name == "click" or not name.startswith("click."):
            continue
        if getattr(mod, "_", None) is not None and callable(mod._):
            mod._ = gettext
        if callable(getattr(mod, "ngettext", None)):
            mod.ngettext = ngettext
    # help columns line up by display width: a Chinese character takes two cells, not one
    import click.formatting

    click.formatting.term_len = _display_width


def _display_width(text: str) -> int:
    from click._compat import strip_ansi

    from ..textfmt import width

    return width(strip_ansi(text))


# ---------------------------------------------------------------- usage lines and metavars

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]…"
# what a value stands for, by the parameter's name (arguments and options alike)
METAVARS: dict[str, str] = {
    **RECORD_FIELDS,
    "items": "项号",
    "item": "项号",
    "tag": "标签",
    "files": "文件",
    "paths": "路径",
    "path": "路径",
    "archive_nos": "档号",
    "ref": "档号或照片路径",
    "query": "检索词",
    "code": "目录编号",
    "when": "日期",
    "time": "时间",
    "text": "文字",
    "search": "检索词",
    "limit": "条数",
    "offset": "条数",
    "archive_path": "档案文件夹",
    "user": "姓名",
    "name": "姓名",
    "unit": "单位名称",
    "unit_type": "单位类型",
    "level": "层级",
    "database_url": "数据库地址",
    "output": "输出文件",
    "xlsx_path": "Excel文件",
    "zip_path": "压缩包",
    "html_path": "网页文件",
    "workers": "进程数",
    "kind": "类型",
    "subject": "事由",
    "place": "地点",
    "people": "人物",
    "photographer": "摄影者",
}
# by the value's type, for names not in METAVARS
TYPE_METAVARS = {"text": "文字", "integer": "整数", "float": "数字", "path": "路径", "filename": "文件", "file": "文件",
                 "boolean": "是/否", "date": "日期"}


def _metavar(param) -> str | None:  # noqa: ANN001
    import click

    if param.metavar is not None or getattr(param, "is_flag", False) or isinstance(param.type, click.Choice):
        return None
    long_name = next((o[2:] for o in getattr(param, "opts", ()) if o.startswith("--")), "")
    word = (METAVARS.get(long_name) or METAVARS.get(param.name or "")
            or TYPE_METAVARS.get(getattr(param.type, "name", "").lower()))
    if word is None:
        return None
    if isinstance(param, click.Argument):
        if not param.required:
            word = f"[{word}]"
        if param.nargs != 1:
            word += "…"
    elif param.nargs != 1 and param.nargs > 1:
        word = " ".join([word] * param.nargs)
    return word


def localise(command) -> None:  # noqa: ANN001
    """Chinese usage lines: ``用法: jiaarchive add [选项] 文件…``, ``--code 目录编号``.

    Walks ``command`` and its subcommands once, after they are all registered.
    """
    import click

    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localise(sub)
    for param in command.params:
        word = _metavar(param)
        if word is not None:
            param.metavar = word
        if param.name == "as_json" and not getattr(param, "help", None):
            param.help = "以 JSON 格式输出（供脚本使用）"
