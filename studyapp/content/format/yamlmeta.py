"""PURE: split a content file into YAML front matter and body, keeping line numbers.

Front matter is read with PyYAML's SafeLoader (as python-frontmatter does), but node
by node, so every key keeps its line and its raw text (to catch ``no`` → False or
``010`` → 8) and one bad value does not hide the others. Timestamps stay text: the
content format parses dates itself (Asia/Shanghai by default, clear errors for
2026-02-30).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from studyapp.content.format.docs import IssueLog

DELIMITER = YAMLHandler.FM_BOUNDARY  # ^-{3,}\s*$, the library's own rule


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as the text the author wrote."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str
)


@dataclass
class Field:
    """One YAML value with its 1-based file line and, for containers, child fields."""

    value: Any
    node: yaml.Node
    line: int
    items: list[Field] = field(default_factory=list)
    entries: dict[str, Field] = field(default_factory=dict)
    key_line: int = 0

    @property
    def raw(self) -> str | None:
        """The scalar exactly as written, or None for lists and mappings."""
        return self.node.value if isinstance(self.node, yaml.ScalarNode) else None

    @property
    def is_plain_scalar(self) -> bool:
        """True for an unquoted scalar (the only kind YAML may reinterpret)."""
        return isinstance(self.node, yaml.ScalarNode) and self.node.style is None


@dataclass
class FrontMatter:
    """Front matter fields (top-level keys) and the body with its first line number."""

    fields: dict[str, Field]
    body: str
    body_line: int
    #: False when there is no front matter or its YAML could not be read at all
    #: (then "missing title" and the like would only repeat that error).
    readable: bool = True


def normalise_newlines(text: str) -> str:
    """Drop a BOM and turn CRLF/CR into LF, so line numbers match the editor's."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, log: IssueLog) -> FrontMatter | None:
    """Split normalised *text*; report YAML problems to *log*.

    Returns None when the front matter is not closed (the body cannot be told
    apart from it). A missing front matter is an error but still returns the body.
    """
    lines = text.split("\n")
    if not DELIMITER.fullmatch(lines[0]):
        log.error(
            1, "缺少 YAML 头部：文件应以 --- 开头，写 title 等字段后再以 --- 结束"
        )
        return FrontMatter({}, text, 1, readable=False)
    end = next((i for i in range(1, len(lines)) if DELIMITER.fullmatch(lines[i])), 0)
    if not end:
        log.error(1, "YAML 头部没有结束：缺少第二行 ---")
        return None
    fm_text = "\n".join(lines[1:end])
    fields = load_fields(fm_text, first_line=2, log=log)
    body = "\n".join(lines[end + 1 :])
    return FrontMatter(fields or {}, body, end + 2, readable=fields is not None)


def load_fields(
    fm_text: str, *, first_line: int, log: IssueLog
) -> dict[str, Field] | None:
    """Parse a YAML mapping into fields; YAML errors are logged with file lines.

    Returns None when the YAML as a whole cannot be read.
    """
    try:
        loader = _Loader(fm_text)
    except yaml.reader.ReaderError as exc:
        line = first_line + fm_text.count("\n", 0, exc.position)
        log.error(
            line, f"YAML 头部含有不可见的控制字符（U+{exc.character:04X}），请删除"
        )
        return None
    try:
        root = loader.get_single_node()
        if root is None:
            return {}  # an empty front matter is fine YAML
        if not isinstance(root, yaml.MappingNode):
            log.error(first_line, "YAML 头部应是“字段: 值”的列表")
            return None
        return _mapping(loader, root, first_line, log)
    except yaml.MarkedYAMLError as exc:
        log.error(_mark_line(exc, first_line), _yaml_message(exc))
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks errors
        log.error(first_line, f"YAML 格式错误：{exc}")
        return None
    except RecursionError:
        log.error(first_line, "YAML 头部嵌套太深")
        return None
    finally:
        loader.dispose()


def _mark_line(exc: yaml.MarkedYAMLError, first_line: int) -> int:
    mark = exc.problem_mark or exc.context_mark
    return first_line + (mark.line if mark else 0)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "无法解析"
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = "；值里有“: ”时请给整个值加引号"
    elif "cannot start any token" in problem and "\\t" in problem:
        hint = "；YAML 里不能用 Tab 缩进，请改用空格"
    elif "found undefined alias" in problem or "expected alphabetic" in problem:
        hint = "；以 * 或 & 开头的值请加引号"
    return f"YAML 格式错误：{problem}{hint}"


#: Front matter is a few levels deep at most; this also stops self-referencing aliases.
_MAX_DEPTH = 8


def _mapping(
    loader: _Loader,
    node: yaml.MappingNode,
    first_line: int,
    log: IssueLog,
    depth: int = 0,
) -> dict[str, Field]:
    loader.flatten_mapping(node)
    entries: dict[str, Field] = {}
    for key_node, value_node in node.value:
        key_line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            log.error(key_line, "字段名应为文本")
            continue
        key = str(key_node.value)
        if key in entries:
            log.error(key_line, f"字段 {key} 写了两次（第 {entries[key].key_line} 行）")
            continue
        built = _field(loader, value_node, first_line, log, depth + 1)
        if built is not None:
            built.key_line = key_line
            entries[key] = built
    return entries


def _field(
    loader: _Loader, node: yaml.Node, first_line: int, log: IssueLog, depth: int
) -> Field | None:
    line = first_line + node.start_mark.line
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        log.error(line, f"无法读取这个值：{exc}")
        return None
    result = Field(value, node, line)
    if depth > _MAX_DEPTH:
        return result
    if isinstance(node, yaml.SequenceNode):
        kids = (_field(loader, c, first_line, log, depth + 1) for c in node.value)
        result.items = [c for c in kids if c is not None]
    elif isinstance(node, yaml.MappingNode):
        result.entries = _mapping(loader, node, first_line, log, depth)
    return result
