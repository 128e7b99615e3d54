"""Where a Korean sentence ends: at punctuation, or at a final ending with no punctuation after it.

Korean sentences end in a small set of final endings (…다, …요, …까, …죠). Crawlers and corpus builders
often drop the final period and join sentences with two spaces (`…밝혔다  이어 …`), so a sentence end is
punctuation (`. ! ? 。`) or one of those endings right after another Hangul syllable, followed (perhaps
after a closing quote or bracket) by whitespace or the end of the text. `요` ends a sentence only after
the syllables of the polite endings (…세요, …어요, …해요, …네요 …): after others it is the end of a noun
(주요, 필요, 중요, 수요) far more often than of a sentence.
"""

from __future__ import annotations

import itertools
import re

SENTENCE_MARKS = ".!?。？！"
CLOSING_QUOTES = "\"'”’)]」』"
FINAL_ENDINGS = "다까죠"  # after any Hangul syllable
POLITE_YO_AFTER = "세어아해여네데게지래대구군걸워와줘봐돼져쳐셔요"  # 요 ends a sentence after these
HANGUL_SYLLABLES = "가-힣"

_ENDS_WITH_ENDING = re.compile(rf"(?:[{HANGUL_SYLLABLES}][{FINAL_ENDINGS}]|[{POLITE_YO_AFTER}]요)$")
# A paragraph join: two or more spaces after a sentence end, punctuated or not (`…했다.  다음`, `…했다  다음`).
SENTENCE_JOIN = re.compile(
    rf"(?:(?<=[.!?。\"'”’)])|(?<=[{HANGUL_SYLLABLES}][{FINAL_ENDINGS}])|(?<=[{POLITE_YO_AFTER}]요))  +(?=\S)"
)


_PUNCTUATED_END = re.compile(rf"[.!?。？！](?=[\s{re.escape(CLOSING_QUOTES)}]|$)")


def ends_punctuated(text: str) -> bool:
    """Ends with a sentence mark, perhaps followed by closing quotes or brackets."""
    return text.rstrip().rstrip(CLOSING_QUOTES)[-1:] in SENTENCE_MARKS


def punctuates(text: str) -> bool:
    """Ends some sentence with a mark: a text written with final punctuation (so one ending without it was cut)."""
    return _PUNCTUATED_END.search(text) is not None


def ends_like_a_sentence(text: str) -> bool:
    """Ends with a sentence mark or a Korean final ending, perhaps followed by closing quotes or brackets."""
    end = text.rstrip().rstrip(CLOSING_QUOTES)
    return end[-1:] in SENTENCE_MARKS or bool(_ENDS_WITH_ENDING.search(end[-2:]))

_CLOSERS = re.escape(CLOSING_QUOTES)
# Each branch opens with the ending character itself (the syllable before it is checked looking back), so the
# engine skips along to candidate characters instead of trying every position.
_SENTENCE_END = re.compile(
    rf"[.!?。？！](?=[\s{_CLOSERS}]|$)"
    rf"|[{FINAL_ENDINGS}](?<=[{HANGUL_SYLLABLES}][{FINAL_ENDINGS}])(?=[{_CLOSERS}]?(?:\s|$))"
    rf"|요(?<=[{POLITE_YO_AFTER}]요)(?=[{_CLOSERS}]?(?:\s|$))"
)


# Press releases write in bullet points (개조식: `□ 연체율 0.07%p 상승`, `ㅇ 신규연체 발생액 증가`), each a
# statement that ends in a noun, with neither punctuation nor a final ending.
BULLETS = "□■◇◆ㅇㅁ○●◦•▪-*①②③④⑤⑥⑦⑧⑨⑩"
BULLET_STATEMENT_CHARS = 10


def bullet_statements(paragraphs: list[str]) -> int:
    """Paragraphs that are bullet-point statements ending without a sentence end (counted as sentences)."""
    return sum(1 for paragraph in paragraphs
               if paragraph[:1] in BULLETS and len(paragraph) >= BULLET_STATEMENT_CHARS
               and not ends_like_a_sentence(paragraph))


def sentences_in(text: str) -> int:
    """A text's sentences as quality counts them: sentence ends, and bullet statements of its paragraphs."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return sentence_ends(text) + bullet_statements(paragraphs)


def sentence_ends(text: str, at_most: int | None = None) -> int:
    """How many sentences end in `text`, punctuated or not (one line; corpus.quality counts whole batches);
    counting stops at `at_most`."""
    return sum(1 for _ in itertools.islice(_SENTENCE_END.finditer(text), at_most))
