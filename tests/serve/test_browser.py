"""`unified serve` in a real headless Chromium driven by Selenium (Debian's chromium and
chromium-driver; browser downloads are not reachable here, so no Playwright build).

One test walks the page as a user does, saving a screenshot after each step into
$UNIFIED_SCREENSHOTS (default build/serve-screenshots/; docs/serve.png is one of them):
open the page, load an example (examples/kernels/relu.mlir), compile it at -O2 for hardware,
click through every IR tab (the SystemVerilog tab holds the module, an IR line leads to its
source line), run the kernel in Verilator and read its outputs and waveform, compare -O2
with -O0, and submit a broken module.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver "
                "(./setup.sh installs them)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver",
                                reason="pip install selenium (in the test extra)")

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from unified.serve.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("UNIFIED_SCREENSHOTS", ROOT / "build" / "serve-screenshots"))
BROKEN = "func.func @f(%a: memref<4xi32>) {\n  %x = arith.addi %a, %a : i32\n  return\n}\n"


@pytest.fixture(scope="module")
def url(tmp_path_factory: Any) -> Iterator[str]:
    """A real server (Werkzeug, threaded) on a free loopback port."""
    from werkzeug.serving import make_server

    app = create_app(tmp_path_factory.mktemp("serve") / "work", time_limit=300)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    yield driver
    driver.quit()


def test_page_compiles_shows_ir_runs_compares_and_locates_errors(url: str, browser: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait = WebDriverWait(browser, 240)
    browser.get(url)
    _load_example(browser, wait)
    cycles = _compile(browser, wait)
    _ir_tabs(browser, wait)
    _run(browser, wait, cycles)
    _compare(browser, wait)
    _broken(browser, wait)
    console = [e["message"] for e in browser.get_log("browser")]
    assert not [m for m in console if "Uncaught" in m or "Content Security Policy" in m]


def _shot(browser: Any, name: str, element_id: str) -> None:
    browser.execute_script("document.getElementById(arguments[0]).scrollIntoView()", element_id)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def _load_example(browser: Any, wait: Any) -> None:
    """Choosing an example fills the editor with its text."""
    wait.until(lambda d: len(Select(d.find_element(By.ID, "example")).options) > 10)
    Select(browser.find_element(By.ID, "example")).select_by_value("kernels/relu.mlir")
    wait.until(lambda d: "func.func @relu" in d.find_element(By.ID, "source").get_property("value"))
    _shot(browser, "1-example", "input-section")


def _compile(browser: Any, wait: Any) -> int:
    """Compile -O2 with relu forced to hardware: the placement table names it, its Verilator
    cycles and why, the loop table its interval; returns the cycles."""
    Select(browser.find_element(By.CSS_SELECTOR, "#opts [name=opt_level]")).select_by_value("2")
    Select(browser.find_element(By.CSS_SELECTOR, "#opts [name=partition]")).select_by_value("hw")
    browser.find_element(By.ID, "compile").click()
    wait.until(ec.visibility_of_element_located((By.ID, "report-section")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#placement tr")
    placed = re.match(r"@relu hw (\d+) \(\d+ ns\) verilator .* hardware: --partition hw$",
                      rows[1].text)
    assert placed, rows[1].text
    loop = browser.find_elements(By.CSS_SELECTOR, "#loops tr")[1].text
    assert re.fullmatch(r"@relu 4 \d+ \d+", loop)  # the loop of line 4: iterations, interval
    assert "@relu at 0x40000000" in browser.find_element(By.ID, "regmap").text
    _shot(browser, "2-report", "report-section")
    return int(placed.group(1))


def _ir_tabs(browser: Any, wait: Any) -> None:
    """Every tab shows its level; the SystemVerilog tab holds the module; clicking an affine
    line with a location highlights that line of the source."""
    tabs = browser.find_elements(By.CSS_SELECTOR, "#tabs button")
    assert [t.text for t in tabs] == ["affine", "scf", "calyx", "hw", "sv dialect",
                                      "SystemVerilog", "vector", "llvm dialect", "LLVM IR",
                                      "RVV assembly"]
    seen = {}
    for tab in tabs:
        file = tab.get_attribute("data-file")
        tab.click()
        wait.until(lambda d, f=file: d.find_element(By.ID, "irtitle").text == f)
        seen[tab.text] = browser.find_element(By.ID, "irview").text
    assert re.search(r"^module relu\(", seen["SystemVerilog"], re.MULTILINE)
    assert "calyx.component" in seen["calyx"] and "hw.module" in seen["hw"]
    tabs[0].click()
    wait.until(lambda d: d.find_element(By.ID, "irtitle").text == "relu.affine.mlir")
    load = next(line for line in browser.find_elements(By.CSS_SELECTOR, "#irview .has-loc")
                if "affine.load" in line.text)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", load)
    load.click()
    highlighted = browser.find_element(By.CSS_SELECTOR, "#srcview .highlight").text
    assert re.fullmatch(r"\s*5\s+%v = affine.load %x\[%i\] : memref<16xi32>", highlighted)
    _shot(browser, "3-ir", "ir-section")


def _run(browser: Any, wait: Any, cycles: int) -> None:
    """A run in Verilator: the output is numpy's max(x, 0) of the shown input, the cycles are
    the report's, and the waveform holds clk, go and done drawn from the VCD."""
    Select(browser.find_element(By.ID, "target")).select_by_value("hw")
    browser.find_element(By.ID, "run").click()
    wait.until(ec.visibility_of_element_located((By.ID, "run-result")))
    assert re.match(rf"@relu on hw: cycles {cycles}\b", browser.find_element(By.ID, "cycles").text)
    inputs = _arrays(browser.find_element(By.ID, "run-inputs").text)
    outputs = _arrays(browser.find_element(By.ID, "run-outputs").text)
    np.testing.assert_array_equal(outputs["arg0"], np.maximum(inputs["arg0"], 0))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#wave svg g.signal"))
    names = [g.get_attribute("data-name")
             for g in browser.find_elements(By.CSS_SELECTOR, "#wave svg g.signal")]
    assert names[:4] == ["clk", "reset", "go", "done"]
    done = browser.find_element(By.CSS_SELECTOR, "#wave g.signal[data-name=done]")
    assert done.find_elements(By.CSS_SELECTOR, "line.edge")  # done rises and falls
    _shot(browser, "4-run", "run-section")


def _arrays(text: str) -> dict[str, np.ndarray]:
    """`arg0 = int32[8] [1 2 ...]` blocks as arrays."""
    out = {}
    for name, values in re.findall(r"(arg\d+) = \w+\[[\d, ]*\] \[([^\]]*)\]", text):
        out[name] = np.array([int(v) for v in values.split()])
    return out


def _compare(browser: Any, wait: Any) -> None:
    """B (-O0, the default second set) against A (-O2): more cycles, and an SV diff."""
    browser.find_element(By.ID, "compare-on").click()
    Select(browser.find_element(By.CSS_SELECTOR, "#opts-b [name=partition]")).select_by_value("hw")
    browser.find_element(By.ID, "compare").click()
    wait.until(ec.visibility_of_element_located((By.ID, "compare-section")))
    row = browser.find_elements(By.CSS_SELECTOR, "#compare-table tr")[1].text.split()
    assert row[:2] == ["@relu", "hw"] and int(row[2]) < int(row[5].replace(",", ""))
    assert browser.find_element(By.ID, "diff").text.startswith("--- A/relu.sv")
    _shot(browser, "5-compare", "compare-section")


def _broken(browser: Any, wait: Any) -> None:
    """A broken module: the error names input.mlir:2:19 and marks that line."""
    source = browser.find_element(By.ID, "source")
    source.clear()
    source.send_keys(BROKEN)
    browser.find_element(By.ID, "compile").click()
    wait.until(ec.visibility_of_element_located((By.ID, "error")))
    text = browser.find_element(By.ID, "error").text
    assert text.startswith("input.mlir:2:19: error: use of value '%a' expects different type")
    assert "   2 |   %x = arith.addi %a, %a : i32" in text
    _shot(browser, "6-error", "options-section")
