"""Reporter names, as names: whatever a page, a column or a byline gives (`서울=이정준 기자`, `뉴스1 | 네이버`,
`홍길동 기자 hong@example.com`, `김철수·이영희 기자`) becomes the list of the people's names, nothing else.

A Korean name is two to four Hangul syllables; a Latin name is two or three capitalised words. Dropped on
the way: e-mail addresses, a `place=` dateline prefix, job titles (기자, 특파원, 논설위원 …), and anything
that names an outlet rather than a person — the page's own publisher or site name, or a word built the way
outlet names are (…뉴스, …일보, …방송, …미디어, …TV): a rule of how outlets are named, not a list of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TITLES = (
    "선임기자", "전문기자", "수습기자", "인턴기자", "객원기자", "사진기자", "영상기자", "취재기자", "기자", "특파원",
    "통신원", "논설위원", "논설실장", "편집위원", "편집국장", "칼럼니스트", "에디터", "본부장", "부장", "차장",
    "팀장", "데스크", "앵커", "리포터", "기상캐스터", "PD", "VJ",
)
# Parts of outlet names: a token holding one is an outlet, not a person.
OUTLET_PARTS = (
    "뉴스", "일보", "신문", "방송", "미디어", "경제", "타임즈", "타임스", "저널", "통신", "데일리", "투데이", "닷컴",
    "코리아", "매거진", "헤럴드", "포스트", "비즈", "인사이트", "프레스", "네트웍스", "TV", "tv", "News", "news",
)
# Words a byline field holds that are shaped like names but are not (`홍길동 기자; 입력 2024-…`).
NOT_NAMES = frozenset({
    "입력", "수정", "등록", "승인", "기사", "사진", "제공", "영상", "편집", "정리", "취재", "종합", "단독", "속보",
    "기자", "작성", "작성자", "출처", "자료", "그래픽", "일러스트", "디자인", "전송", "발행", "게재", "송고", "보도",
})
KOREAN_NAME = re.compile(r"^[가-힣]{2,4}$")
LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|<EMAIL>")
_PLACE_PREFIX = re.compile(r"^[^=]{1,12}=\s*")
_SEPARATORS = re.compile(r"\s*(?:[,;/|｜·ㆍ∙・]|\s및\s|\s와\s|\s과\s)\s*")
_TITLE = re.compile(r"\s*(?:" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + r")\s*$")
_NAMES_TITLED = re.compile(r"(?P<names>[가-힣]{2,4}(?:\s?[·ㆍ,/]\s?[가-힣]{2,4})+)\s?(?P<title>"
                           + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + r")")
_UNNAMED = re.compile(r"\s*외\s*\d+\s*(?:명|인)\s*$")  # `홍길동 기자 외 1명`: the others are not named
_BRACKETS = re.compile(r"[\[\]()【】<>{}\"'“”‘’]")


def is_person_name(token: str, outlets: Iterable[str] = ()) -> bool:
    """A person's name, not an outlet: 2-4 Hangul syllables or 2-3 capitalised Latin words, not built like an
    outlet name and not one of `outlets` (the page's publisher and site name)."""
    if not (KOREAN_NAME.match(token) or LATIN_NAME.match(token)) or token in NOT_NAMES:
        return False
    if any(part in token for part in OUTLET_PARTS):
        return False
    return not any(token == outlet or (len(outlet) > 1 and token in outlet) for outlet in outlets if outlet)


def reporter_names(values: Iterable[str | None], outlets: Iterable[str | None] = ()) -> tuple[str, ...]:
    """The people's names in `values` (reporter fields as found), in order, each once."""
    known = [outlet.strip() for outlet in outlets if outlet and outlet.strip()]
    names: list[str] = []
    for value in values:
        if not value:
            continue
        value = _NAMES_TITLED.sub(_distribute, _UNNAMED.sub("", _EMAIL.sub(" ", _BRACKETS.sub(" ", value))))
        tokens = [_PLACE_PREFIX.sub("", token.strip()) for token in _SEPARATORS.split(value)]
        titled = [_TITLE.search(token) is not None for token in tokens]
        for token, has_title in zip(tokens, titled, strict=True):
            if any(titled) and not has_title:
                continue  # `순천, 광양 구현모 기자`: beside a titled name, the untitled words are datelines
            for part in _split_names(_TITLE.sub("", token).strip(), has_title, known):
                if part not in names:
                    names.append(part)
    return tuple(names)


def _split_names(token: str, titled: bool, outlets: list[str]) -> list[str]:
    """The names in one token: itself; or, before a title, the names at its end (`김철수 이영희 기자`: two
    reporters; `TV서울 심현주 기자`: an outlet, then the reporter)."""
    if is_person_name(token, outlets):
        return [token]
    words = token.split()
    if len(words) < 2 or not titled:  # untitled words side by side may be anything (`서울 시청 홍보팀`)
        return []
    trailing: list[str] = []
    for word in reversed(words):
        if not is_person_name(word, outlets):
            break
        trailing.insert(0, word)
    # Most Korean full names are three syllables: beside one, a two-syllable word is a place (`광양 구현모`).
    full = [word for word in trailing if len(word) == 3 or not KOREAN_NAME.match(word)]
    return full or trailing[-1:]


def _distribute(match: re.Match[str]) -> str:
    """`김철수·이영희 기자` → `김철수 기자, 이영희 기자`: a title after names joined by · or , is each one's."""
    return ", ".join(f"{name} {match['title']}" for name in re.split(r"\s?[·ㆍ,/]\s?", match["names"]))
