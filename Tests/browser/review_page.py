#!/usr/bin/env python3
"""Drives review.html in headless Chromium (Selenium + Debian's chromium-driver) as an owner would.

    review_page.py PAGE --downloads DIR [--price SEQ=TEXT] [--drop SEQ] [--move SEQ,SEQ=CATEGORY]
                   [--add NAME|CATEGORY|PRICE|PAGE] [--answer TEXT] [--keep-flagged]
                   [--reload] [--screenshot WIDTH=PNG]

Edits go through the page's own controls (typing, buttons, the keyboard for drops), then
"Save decisions" downloads the edits file into DIR. Prints one JSON object on stdout: the
downloaded file, what the page showed, and whether any script other than the page's own ran.
"""
import argparse, glob, json, os, sys, time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def driver_for(downloads, width, height=900):
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--no-first-run", f"--window-size={width},{height}", "--force-device-scale-factor=1"]:
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=opts)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return d


def card(d, seq):
    return d.find_element(By.ID, f"item-{seq}")


def click(d, el):
    # into the middle of the window first: the bar fixed at the bottom must not be what is clicked
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def set_field(el, value):
    el._parent.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.clear()
    el.send_keys(value)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--downloads", required=True)
    ap.add_argument("--price", action="append", default=[])
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--move", action="append", default=[])
    ap.add_argument("--add", action="append", default=[])
    ap.add_argument("--answer", action="append", default=[])
    ap.add_argument("--keep-flagged", action="store_true")
    ap.add_argument("--reload", action="store_true", help="reload the page after the edits: they must come back")
    ap.add_argument("--screenshot", action="append", default=[])
    a = ap.parse_args()
    url = "file://" + os.path.abspath(a.page)
    out = {"screenshots": {}}

    for spec in a.screenshot:
        width, path = spec.split("=", 1)
        d = driver_for(a.downloads, max(int(width), 500))
        try:
            # headless windows are at least 500 px wide: a phone's width is emulated
            d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                              {"width": int(width), "height": 844 if int(width) < 500 else 900, "deviceScaleFactor": 1, "mobile": int(width) < 500})
            d.get(url)
            d.save_screenshot(path)
            out["screenshots"][width] = d.execute_script(
                "return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,"
                " cards: document.querySelectorAll('article.item').length,"
                " printed: Array.prototype.filter.call(document.querySelectorAll('.printed .cell'), function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.right <= document.documentElement.clientWidth; }).length,"
                " narrowest: Math.min.apply(null, Array.prototype.map.call(document.querySelectorAll('article.item input[name=name]'), function (e) { return e.getBoundingClientRect().width; }))}")
        finally:
            d.quit()

    d = driver_for(a.downloads, 1280)
    try:
        d.get(url)
        before = set(glob.glob(os.path.join(a.downloads, "*")))
        for spec in a.price:
            seq, text = spec.split("=", 1)
            set_field(card(d, seq).find_element(By.NAME, "price"), text)
        for spec in a.move:
            seqs, category = spec.split("=", 1)
            for seq in seqs.split(","):
                box = card(d, seq).find_element(By.CSS_SELECTOR, "input.sel")
                if not box.is_selected():
                    click(d, box)
            set_field(d.find_element(By.ID, "move-to"), category)
            click(d, d.find_element(By.ID, "move"))
        body = d.find_element(By.TAG_NAME, "body")
        for seq in a.drop:
            # by the keyboard: j moves to the next item until the wanted one is current, x drops it
            for _ in range(500):
                cur = d.execute_script("var c = document.querySelector('article.current'); return c ? c.getAttribute('data-seq') : null")
                if cur == seq:
                    break
                d.execute_script("document.activeElement && document.activeElement.blur()")
                body.send_keys("j")
            else:
                raise SystemExit(f"item {seq} never became current")
            body.send_keys("x")
        for spec in a.add:
            name, category, price, page = spec.split("|")
            form = d.find_element(By.ID, "add")
            pick = form.find_elements(By.CSS_SELECTOR, f".pagepick button[data-page='{page}']")
            if pick:
                click(d, pick[0])
            set_field(form.find_element(By.NAME, "name"), name)
            set_field(form.find_element(By.NAME, "category"), category)
            set_field(form.find_element(By.NAME, "price"), price)
            click(d, d.find_element(By.ID, "add-item"))
        for i, text in enumerate(a.answer):
            boxes = d.find_elements(By.CSS_SELECTOR, "ol.questions textarea.answer")
            set_field(boxes[i], text)
        if a.reload:
            d.refresh()
            out["restored"] = d.find_element(By.ID, "restored").is_displayed()
        if a.keep_flagged:
            for el in d.find_elements(By.CSS_SELECTOR, "article.item.flagged"):
                if el.find_element(By.CSS_SELECTOR, ".state").text == "needs a decision":
                    click(d, el.find_element(By.CSS_SELECTOR, "button[data-act='keep']"))
        out["count"] = d.find_element(By.ID, "count").text
        out["states"] = {el.get_attribute("data-seq"): el.find_element(By.CSS_SELECTOR, ".state").text
                         for el in d.find_elements(By.CSS_SELECTOR, "article.item")}
        out["names"] = {el.get_attribute("data-seq"): el.find_element(By.NAME, "name").get_attribute("value")
                        for el in d.find_elements(By.CSS_SELECTOR, "article.item")}
        out["flags"] = [li.text for li in d.find_elements(By.CSS_SELECTOR, "ul.flags li")]
        click(d, d.find_element(By.ID, "save"))
        out["saved_text"] = d.find_element(By.ID, "saved").text
        # a hostile name that ran would have set this
        out["pwned"] = d.execute_script("return window.__pwned || null")
        out["scripts"] = d.execute_script("return document.scripts.length")
        deadline = time.time() + 20
        got = []
        while time.time() < deadline:
            got = [p for p in set(glob.glob(os.path.join(a.downloads, "*"))) - before if not p.endswith(".crdownload")]
            if got:
                break
            time.sleep(0.2)
        out["download"] = got[0] if got else None
        out["console"] = [e["message"] for e in d.get_log("browser")] if hasattr(d, "get_log") else []
    finally:
        d.quit()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
