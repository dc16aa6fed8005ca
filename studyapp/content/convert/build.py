"""PURE: check one draft and turn it into a Question; report every fault in it."""

from __future__ import annotations

import unicodedata

from studyapp.content.convert import blanks
from studyapp.content.convert.cleaning import simplified
from studyapp.content.convert.drafts import Draft, Part, Question
from studyapp.content.convert.hazards import hazard
from studyapp.content.convert.issues import ConvertIssue
from studyapp.content.convert.metadata import read_metadata
from studyapp.content.format import answers as ans
from studyapp.content.format.docs import Answer, QuestionType

MIN_OPTIONS, MAX_OPTIONS = 2, 8
TYPE_WORDS: dict[str, QuestionType] = {
    "单选": "single", "单项选择": "single", "多选": "multiple", "多项选择": "multiple",
    "判断": "truefalse", "是非": "truefalse", "填空": "fill",
}  # fmt: skip
_ANSWER_TRIM = "（）()[]【】。.．：: "
Decision = tuple[QuestionType, Answer]


def parse_type(text: str) -> QuestionType | None:
    """单选/多选/判断/填空, with or without 题 (or 单项选择题); else None."""
    word = simplified("".join(unicodedata.normalize("NFKC", text).split()))
    word = word.strip("【】[]")
    return TYPE_WORDS.get(word.removesuffix("题"))


def build_question(
    draft: Draft, bank_id: str
) -> tuple[Question | None, list[ConvertIssue]]:
    """The question a draft describes, or None; with every problem found in it."""
    builder = _Builder(draft, bank_id)
    return builder.build(), builder.issues


class _Builder:
    def __init__(self, draft: Draft, bank_id: str) -> None:
        self.draft = draft
        self.bank_id = bank_id
        self.issues: list[ConvertIssue] = []

    def error(self, message: str, line: int | None = None) -> None:
        self.issues.append(self.draft.place.error(message, line))

    def build(self) -> Question | None:
        stem, marker = self._stem()
        declared = self._declared(marker)
        options = self._options()
        decided = (
            self._decide(declared, stem, options) if declared != "unknown" else None
        )
        meta = self._metadata()
        if self.issues or decided is None or stem is None:
            return None
        qtype, answer, stem_md = decided
        return Question(
            place=self.draft.place,
            type=qtype,
            stem_md=stem_md,
            answer=answer,
            options=tuple(options) if qtype in ("single", "multiple") else (),
            explanation_md="\n\n".join(p.text for p in self.draft.explanation),
            **meta,
        )

    def _stem(self) -> tuple[str | None, QuestionType | None]:
        """The stem as Markdown paragraphs, and the type of a leading 【单选题】."""
        lines = [p.text for p in self.draft.stem]
        marker = None
        if lines and (match := ans.MARKER.match(lines[0])):
            marker = ans.MARKER_TYPES[match.group(1)]
            lines[0] = lines[0][match.end() :].strip()
            lines = [line for line in lines if line]
        if not lines:
            self.error("缺少题干")
            return None, marker
        for part, line in zip(self.draft.stem[1:], lines[1:], strict=False):
            if what := hazard(line):
                self.error(
                    f"题干中的“{line[:20]}”会被当作{what}：请改写这一段的开头",
                    part.line,
                )
        return "\n\n".join(lines), marker

    def _declared(self, marker: QuestionType | None) -> QuestionType | str | None:
        """The type the file gives (题型 cell, 【…题】, section heading); "unknown"."""
        kind = self.draft.kind
        if kind is not None:
            declared = parse_type(kind.text)
            if declared is None:
                self.error(
                    f"未知题型“{kind.text}”："
                    "题型应为 单选、多选、判断、填空（可带“题”字）"
                )
                return "unknown"
            if marker is not None and marker != declared:
                self.error(
                    f"题干前的【{ans.TYPE_NAMES[marker]}】与题型“{kind.text}”不一致"
                )
            return declared
        return marker or self.draft.section_type

    def _options(self) -> list[str]:
        """Option texts A, B, …: gaps, empty and out-of-order letters are errors."""
        options = list(self.draft.options)
        while options and not options[-1].text:
            options.pop()
        for index, option in enumerate(options):
            key = chr(ord("A") + index)
            if option.letter != key:
                self.error(
                    f"选项字母应按顺序写为 {key}，这里是 {option.letter}", option.line
                )
            elif not option.text:
                later = options[-1].letter
                self.error(f"选项 {key} 为空，但后面还有选项 {later}", option.line)
            for line in option.text.split("\n")[1:]:
                if what := hazard(line):
                    self.error(
                        f"选项 {key} 中的“{line[:20]}”会被当作{what}", option.line
                    )
        return [o.text for o in options]

    def _decide(
        self, declared: QuestionType | str | None, stem: str | None, options: list[str]
    ) -> tuple[QuestionType, Answer, str] | None:
        stem = stem or ""
        qtype = (
            declared if declared in TYPE_WORDS.values() else self._infer(stem, options)
        )
        if qtype is None:
            return None
        if qtype != "fill" and ("{{" in stem or "}}" in stem):
            self.error("题干中有 {{ 或 }}：只有填空题用 {{答案}} 标出空")
        if qtype == "fill":
            return self._fill(stem, options)
        if qtype == "truefalse":
            value = self._truefalse(options)
            return None if value is None else ("truefalse", value, stem)
        decided = self._choice(qtype, options)
        return None if decided is None else (*decided, stem)

    def _infer(self, stem: str, options: list[str]) -> QuestionType | None:
        """The type from the answers, when the file does not say it."""
        answer = self.draft.answer
        if options:
            bare = _bare(answer.text) if answer is not None else ""
            if (
                ans.parse_letters(bare) is None
                and ans.parse_truefalse(bare) is not None
            ):
                return "truefalse"
            letters = ans.parse_letters(_bare(answer.text)) if answer else None
            return "multiple" if letters and len(letters) > 1 else "single"
        if answer is not None and ans.parse_truefalse(_bare(answer.text)) is not None:
            return "truefalse"
        if blanks.count_marks(stem) or ans.find_blanks(stem):
            return "fill"
        if answer is None:
            self.error("缺少答案")
        elif ans.parse_letters(_bare(answer.text)):
            self.error(f"答案 {answer.text} 不在选项中：这道题没有选项", answer.line)
        else:
            self.error(
                "无法判断题型：请写明题型（单选、多选、判断、填空）", answer.line
            )
        return None

    def _answer(self) -> Part | None:
        if self.draft.answer is None:
            self.error("缺少答案")
        return self.draft.answer

    def _choice(self, qtype: QuestionType, options: list[str]) -> Decision | None:
        name = ans.TYPE_NAMES[qtype]
        if not options:
            self.error(f"{name}没有选项（至少要 {MIN_OPTIONS} 个）")
        elif len(options) < MIN_OPTIONS:
            self.error(f"只有 {len(options)} 个选项，至少要 {MIN_OPTIONS} 个")
        elif len(options) > MAX_OPTIONS:
            self.error(f"有 {len(options)} 个选项，最多 {MAX_OPTIONS} 个（A–H）")
        answer = self._answer()
        if answer is None:
            return None
        letters = ans.parse_letters(_bare(answer.text))
        keys = [chr(ord("A") + i) for i in range(len(options))]
        if letters is None:
            self.error(
                f"答案“{answer.text}”应为选项字母，如 A、ABD 或 A,B,D", answer.line
            )
            return None
        unknown = [k for k in letters if k not in keys]
        if unknown:
            shown = "、".join(unknown)
            self.error(
                f"答案 {shown} 不在选项 {ans.describe_keys(keys)} 中", answer.line
            )
        elif qtype == "single" and len(letters) > 1:
            self.error(
                f"单选题只能有 1 个答案，这里是 {'、'.join(letters)}", answer.line
            )
        elif qtype == "multiple" and len(letters) < 2:
            self.error(
                f"多选题至少要有 2 个正确答案，这里只有 {letters[0]}", answer.line
            )
        else:
            return qtype, letters[0] if qtype == "single" else letters
        return None

    def _truefalse(self, options: list[str]) -> bool | None:
        words = [ans.parse_truefalse(o) for o in options]
        if options and (len(options) != 2 or None in words):
            self.error("判断题不写选项：答案写 对/错、正确/错误 或 √/×")
        answer = self._answer()
        if answer is None:
            return None
        value = ans.parse_truefalse(_bare(answer.text))
        if value is None and len(words) == 2 and None not in words:
            # 选项A 正确、选项B 错误 with 答案 A: a common template layout.
            letters = ans.parse_letters(_bare(answer.text)) or ()
            if len(letters) == 1 and letters[0] in "AB":
                value = words["AB".index(letters[0])]
        if value is None:
            self.error(
                f"判断题的答案应为 对/错、正确/错误 或 √/×，这里是“{answer.text}”",
                answer.line,
            )
        return value

    def _fill(
        self, stem: str, options: list[str]
    ) -> tuple[QuestionType, Answer, str] | None:
        if options:
            self.error("填空题不写选项")
        answer = self.draft.answer
        if ans.find_blanks(stem):
            if blanks.count_marks(stem) or answer is not None:
                self.error("答案已写在题干的 {{…}} 中：不要再另写答案或 ____")
                return None
            found = blanks.inline_answers(stem)
        elif not blanks.count_marks(stem):
            self.error(
                "填空题的题干中没有空：用 ____（至少 3 个下划线）或（　）标出每个空"
            )
            return None
        else:
            answer = self._answer()
            if answer is None:
                return None
            found = blanks.fill_in(stem, answer.text)
            if isinstance(found, tuple):
                stem, found = found
        if isinstance(found, str):
            self.error(found, answer.line if answer else None)
            return None
        return "fill", found, stem

    def _metadata(self) -> dict[str, object]:
        values, problems = read_metadata(self.draft, self.bank_id)
        for message, line in problems:
            self.error(message, line)
        return values


def _bare(text: str) -> str:
    """An answer without brackets or a full stop around it, 對/錯 as 对/错."""
    return simplified(text.strip(_ANSWER_TRIM))
