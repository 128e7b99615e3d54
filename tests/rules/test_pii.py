import random

import pytest

from corpus.rules.pii import _CARD_GATES, CARD, pii_v1, pii_v2, pii_v3


@pytest.mark.parametrize(("raw", "masked"), [
    ("문의는 hong.gil@news21.co.kr 로", "문의는 <EMAIL> 로"),
    ("연락처 010-1234-5678 로", "연락처 <PHONE> 로"),
    ("대표번호 02-123-4567", "대표번호 <PHONE>"),
    ("전화 062.613.1234", "전화 <PHONE>"),
    ("+82 10 1234 5678 로 연락", "<PHONE> 로 연락"),
    ("주민번호 900101-1234567 유출", "주민번호 <RRN> 유출"),
])
def test_pii_is_masked_by_type(raw, masked):
    assert pii_v1(raw) == masked


@pytest.mark.parametrize("text", [
    "2025-12-18", "등록 2024-03-07 19:33:20", "10조원", "1,268명", "1만8200여개", "2025.04.09 09:05:03",
    "12.15~16", "전년(23만1074건)보다", "50만7431건",
])
def test_dates_prices_and_counts_are_not_pii(text):
    assert pii_v1(text) == text


@pytest.mark.parametrize(("raw", "masked"), [
    ("카드번호 4111-1111-1111-1111 로 결제", "카드번호 <CARD> 로 결제"),
    ("후원 계좌: 국민은행 123-45-678901 (예금주 홍길동)", "후원 계좌: 국민은행 <ACCOUNT> (예금주 홍길동)"),
    ("입금 계좌번호 110-123-456789 로", "입금 계좌번호 <ACCOUNT> 로"),
    ("연락처 010-1234-5678", "연락처 <PHONE>"),
])
def test_pii_v2_masks_cards_and_accounts_too(raw, masked):
    assert pii_v2(raw) == masked


@pytest.mark.parametrize("text", [
    "카드 1234-5678-9012-3456 는 유효하지 않은 번호",  # fails the Luhn check: not a card
    "주문번호 2024-0312-0001-77", "사건번호 2024고합123", "총 10조원 규모", "2025-12-18 09:05:03",
])
def test_pii_v2_leaves_numbers_that_are_not_cards_or_accounts(text):
    assert pii_v2(text) == text


@pytest.mark.parametrize("number", ["3782-822463-10005", "3782 822463 10005", "4111-1111-1111-1111",
                                    "4111 1111-1111 1111", "4111 1111 1111-1111"])
@pytest.mark.parametrize("before", ["카드번호 ", "카드:", "", "(", "\n"])
def test_pii_v3_masks_every_card_form_wherever_it_stands(number, before):
    assert pii_v3(f"{before}{number} 로 결제") == f"{before}<CARD> 로 결제"


def test_pii_v2_is_kept_as_it_was_for_the_releases_made_with_it():
    assert pii_v2("카드번호 3782-822463-10005 로") == "카드번호 3782-822463-10005 로"
    assert pii_v2("카드번호 4111-1111-1111-1111 로") == "카드번호 <CARD> 로"


def test_the_card_gates_match_wherever_card_does():
    rng = random.Random(11)
    pieces = ["1", "4", "0", "-", " ", "가", "12", "4111", "822463"]
    for _ in range(100_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        if CARD.search(text):
            assert any(gate.search(text) for gate in _CARD_GATES), text
