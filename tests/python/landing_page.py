"""Opens a guanxi endpoint's landing page in headless Chromium, clicks a saved
query and waits for its result table.

Usage: landing_page.py URL EXAMPLE_ID SCREENSHOT.png

Prints one JSON object: the page title and the text of each result row.
"""
import json
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

url, example, screenshot = sys.argv[1:4]

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
profile = tempfile.mkdtemp(prefix="guanxi-chromium-")
for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--window-size=1400,1700", f"--user-data-dir={profile}"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(url)
    wait = WebDriverWait(driver, 60)
    button = wait.until(ec.element_to_be_clickable((By.ID, example)))
    button.click()
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr td:nth-child(2)") and
                      d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    texts = [r.text for r in rows]
    driver.save_screenshot(screenshot)
    print(json.dumps({"title": driver.title, "rows": texts}, ensure_ascii=False))
finally:
    driver.quit()
