"""Page furniture that survives segmentation, removed line by line and inline.

`boilerplate_v1`: navigation, widgets, copyright lines, captions, promos. `boilerplate_v2`: the furniture of
boards and press-release pages too — `등록일`/`조회수`/`작성자`/`담당부서` rows, attachment markers
(`[jpg,474.7 KB]`), satisfaction surveys — and a short line repeated (a photo caption shown twice); copyright
notices and photo credits are left to `credits_v1`, which cuts them out of a line instead of dropping it.
"""

from __future__ import annotations

import re

from corpus.rules import text_rule
from corpus.rules.edits import keep_lines, sub

_LINE_PATTERNS = [
    r"기사\s?메일전송",
    r"기사\s?수정",
    r"목록\s?바로가기",
    r"인쇄",
    r"이전\s?기사\s?보기.*",
    r"다음\s?기사\s?보기",
    r"모바일\s?버전\s?바로가기",
    r"더보기",
    r"가장\s?많이\s?본\s?뉴스.*",
    r"MORE\s?NEWS",
    r"기상청\s?제공",
    r"(?:맑음|흐림|구름\S*|비|눈|소나기)\s?\S{1,6}\s?-?\d+(?:\.\d+)?\s?℃",  # weather widget entry
    r"[▲△].*",  # photo captions
    r"▶.*",  # promo links
    r".*(?:무단\s?전재|재배포\s?금지|저작권자\s?[©ⓒ]|Copyright\s?[©ⓒ]|AI\s?학습\s?이용\s?금지|재판매\s?및\s?DB\s?금지).*",
    r".*기사\s?문의\s?및\s?제보.*",
    r"(?:#\S+\s*){2,}",  # hashtag lines
    r"\[(?:앵커|기자|리포트)\]",  # TV script markers standing alone
]
_BOILERPLATE_LINE = re.compile(r"^\s*[•·▪]?\s*(?:" + "|".join(_LINE_PATTERNS) + r")\s*$")
_INLINE = re.compile(r"\((?:사진|사진제공|자료|자료제공|제공|그래픽)\s?=\s?[^)]{1,40}\)|\[(?:앵커|기자)\]\s?")
# Gates that start with a literal, so a fast scan rules out most texts before _INLINE runs.
_INLINE_CUES = (re.compile(r"\((?:사진|자료|제공|그래픽)"), re.compile(r"\[(?:앵커|기자)\]"))
_EMAIL_TAIL = re.compile(r"\s*[가-힣]{2,4}\s?기자\s?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\s*$")


MAX_BOILERPLATE_LINE = 300  # furniture lines are short; a longer line is article text


def is_boilerplate_line(line: str) -> bool:
    return len(line) <= MAX_BOILERPLATE_LINE and bool(_BOILERPLATE_LINE.match(line))


@text_rule("boilerplate_v1")
def boilerplate_v1(text: str) -> str:
    """Drops lines that are page furniture (navigation, weather widget, 'most read', copyright tails,
    photo captions ▲, promo links ▶, tip lines, hashtag lines, TV script markers) and removes inline
    photo credits `(사진=…)`, `[앵커]`/`[기자]` markers and a closing `홍길동 기자 name@host` tail."""
    text = keep_lines(text, lambda line: not is_boilerplate_line(line))
    if any(cue.search(text) for cue in _INLINE_CUES):
        text = sub(_INLINE, "", text)
    return sub(_EMAIL_TAIL, "", text) if "@" in text else text


_BOARD_FIELDS = (
    "등록일", "등록일시", "작성일", "작성일시", "게시일", "게시일자", "수정일", "최종수정일", "조회수", "조회",
    "작성자", "등록자", "게시자", "등록부서", "담당부서", "부서명", "담당자", "연락처", "전화번호", "문의", "첨부파일",
    "첨부", "글번호", "분류", "출처", "공공누리", "저작권정책", "출처표시",
)
_BOARD_ROW = re.compile(
    r"^\s*[-•·▪*]?\s*(?:" + "|".join(sorted(_BOARD_FIELDS, key=len, reverse=True)) + r")\s*(?:[:：|]\s*|\s)\S.{0,60}$"
    r"|^\s*[-•·▪*]?\s*(?:" + "|".join(sorted(_BOARD_FIELDS, key=len, reverse=True)) + r")\s*[:：]?\s*$"
)
_SURVEY = re.compile(
    r"만족하십니까|만족도\s?(?:조사|평가)|페이지\s?개선에\s?도움|소중한\s?의견|의견을\s?남겨|콘텐츠\s?만족도|평가하기"
    r"|이\s?페이지에서\s?제공하는\s?정보|제공하는\s?정보에\s?대하여|공공누리\s?제\d유형|바로가기\s?메뉴"
    r"|자세한\s?내용은\s?첨부|첨부\s?파일을\s?참고|^\s*[(\[]?끝[)\]]?\s*$|^\s*<끝>\s*$"
)
_ATTACHMENT = re.compile(
    r"\[(?:jpe?g|png|gif|bmp|hwpx?|pdf|docx?|xlsx?|pptx?|zip|txt|mp4),\s?[\d.,]+\s?(?:B|KB|MB|GB)\]", re.IGNORECASE)
_FILE_LINE = re.compile(r"^\s*\S.{0,100}\.(?:jpe?g|png|gif|bmp|hwpx?|pdf|docx?|xlsx?|pptx?|zip)\s*"
                        r"(?:\(\s?[\d.,]+\s?(?:B|KB|MB|GB)\s?\))?\s*(?:미리보기|다운로드|내려받기|\s)*$", re.IGNORECASE)
_LINE_PATTERNS_V2 = [pattern for pattern in _LINE_PATTERNS
                     if "무단" not in pattern and pattern not in ("[▲△].*", "▶.*")]
_MARKED_LINE = re.compile(r"^\s*[•·▪]?\s*[▲△▶]")  # a caption (▲) or promo (▶) line: short, else a bulleted paragraph
MARKED_LINE_MAX = 150
_BOILERPLATE_LINE_V2 = re.compile(r"^\s*[•·▪]?\s*(?:" + "|".join(_LINE_PATTERNS_V2) + r")\s*$")
REPEATED_LINE_MAX = 200  # a line up to this long shown again (a caption under its photo and in a gallery)


def is_furniture_line(line: str) -> bool:
    """A page, board or press-release furniture line (boilerplate_v2)."""
    if len(line) > MAX_BOILERPLATE_LINE:
        return False
    return bool(_BOILERPLATE_LINE_V2.match(line) or _BOARD_ROW.match(line) or _SURVEY.search(line)
                or _FILE_LINE.match(line) or (len(line) <= MARKED_LINE_MAX and _MARKED_LINE.match(line)))


@text_rule("boilerplate_v2")
def boilerplate_v2(text: str) -> str:
    """Drops page furniture lines (as `boilerplate_v1`, without its copyright lines: `credits_v1` cuts the
    notices out of a line) and board and press-release furniture: 등록일/조회수/작성자/담당부서 rows, attachment
    lists and markers (`[jpg,474.7 KB]`), satisfaction surveys, and a short line repeated further down; removes
    `[앵커]`/`[기자]` markers inline."""
    if _ATTACHMENT.search(text):
        text = sub(_ATTACHMENT, "", text)
    seen: set[str] = set()

    def keep(line: str) -> bool:
        stripped = line.strip()
        if is_furniture_line(line):
            return False
        if stripped and len(stripped) <= REPEATED_LINE_MAX:
            if stripped in seen:
                return False
            seen.add(stripped)
        return True

    text = keep_lines(text, keep)
    return sub(_MARKERS, "", text) if "[" in text else text


_MARKERS = re.compile(r"\[(?:앵커|기자|리포트|앵커\s?멘트|기자\s?멘트)\]\s?")
