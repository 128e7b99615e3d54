"""The explorer in a real browser: headless Chromium (Debian's chromium and chromium-driver, through Selenium
and the system chromedriver; no browser is downloaded) searches a Korean word, opens the article, and finds
the seed snippet's byline and copyright notice marked on its raw text with the rules that removed them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.explore.conftest import BYLINE, NOTICE, WORD

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(not (Path(CHROMEDRIVER).exists() and shutil.which(CHROMIUM)),
                                reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1600", "--lang=ko-KR"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def test_search_a_korean_word_open_the_article_and_see_the_removed_spans(browser, explorer: str, tmp_path: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(explorer)
    box = browser.find_element(By.ID, "corpus-q")
    box.send_keys(WORD)
    box.submit()
    WebDriverWait(browser, 30).until(lambda driver: WORD in driver.title)
    assert "1 row" in browser.title
    links = browser.find_elements(By.CSS_SELECTOR, "td.col-title a[href^='/-/article/']")
    assert len(links) == 1
    links[0].click()
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.ID, "clean-text"))

    assert WORD in browser.find_element(By.ID, "clean-text").text
    marks = {mark.get_attribute("data-rules"): mark for mark in
             browser.find_elements(By.CSS_SELECTOR, "#raw-text mark.edit")}
    byline, notice = marks["byline_v2"], marks["credits_v1"]
    assert BYLINE in byline.text and byline.find_element(By.CLASS_NAME, "rule").text == "byline v2"
    assert NOTICE in notice.text and notice.find_element(By.CLASS_NAME, "rule").text == "credits v1"
    assert NOTICE not in browser.find_element(By.ID, "clean-text").text
    assert browser.find_element(By.ID, "split").text in {"train", "validation", "test"}
    assert browser.find_element(By.ID, "cluster").text.count("duplicate_of:") == 1
    assert browser.save_screenshot(str(tmp_path / "article.png"))
    assert (tmp_path / "article.png").stat().st_size > 10_000
