"""Opens an HTML export in headless Chromium and checks that it shows the graph.

    html_view.py FILE.html NAME SCREENSHOT.png

Prints JSON: how many canvas pixels are painted, the node count Cytoscape holds,
which labels are selected after searching NAME, and the info panel's text.
"""
import json
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

page, name, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
# A closed network: without these Chromium keeps trying to reach Google services.
for flag in [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]:
    options.add_argument(flag)
profile = tempfile.mkdtemp(prefix="guanxi-chromium-")
options.add_argument(f"--user-data-dir={profile}")
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(Path(page).resolve().as_uri())
    deadline = time.time() + 60
    while time.time() < deadline and not driver.execute_script("return !!(window.cy && cy.nodes().length)"):
        time.sleep(0.2)
    time.sleep(1.0)
    driver.save_screenshot(screenshot)
    # Painted pixels of Cytoscape's canvases (its layers are 2D canvases).
    painted = driver.execute_script(
        """
        let painted = 0;
        for (const c of document.querySelectorAll('#cy canvas')) {
          if (!c.width || !c.height) continue;
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
        }
        return painted;
        """
    )
    nodes = driver.execute_script("return cy.nodes().length")
    search = driver.find_element(By.ID, "search")
    search.clear()
    search.send_keys(name, Keys.ENTER)
    time.sleep(0.5)
    selected = driver.execute_script("return cy.$('node:selected').map(n => n.data('label'))")
    info = driver.find_element(By.ID, "info").text
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    print(json.dumps({"painted": painted, "nodes": nodes, "selected": selected, "info": info, "errors": errors}, ensure_ascii=False))
finally:
    driver.quit()
