#!/usr/bin/env python3
"""The web inbox in a real browser (docs/web.md, "Browser walk").

Starts `wfc serve --test-clock` on a temporary store, deploys workflows/company-handover.yaml,
and walks case H1 as its people in headless Chromium through Selenium: the handover (交接人)
submits and fills the list, the manager approves, the receiver ticks the items, both sign,
the manager confirms. Also: a refusal with the policy's message, another person refused the
case, an overdue task in red after the test clock passes its deadline, a form without its
CSRF token refused, the page at 360 px, labels tied to inputs.

    python3 Tests/browser/walk.py [--wfc .build/debug/wfc] [--out Tests/browser/screenshots]

Needs chromium, chromium-driver (Debian) and selenium (PyPI). Screenshots go to --out,
which git ignores.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEOPLE = {"handover": "zhang.san", "receiver": "li.si", "manager": "wang.wu", "hr": "zhao.liu"}
steps = 0


def gone(element):
    """True once `element`'s page is left. Chromium answers a node of a page being replaced
    either as stale or with "Node with given id does not belong to the document": both mean
    the old page is gone (selenium's `staleness_of` knows only the first)."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as e:
        if "does not belong to the document" in str(e):
            return True
        raise


def check(condition, what):
    global steps
    steps += 1
    if not condition:
        raise AssertionError(what)
    print(f"  ok {steps}: {what}")


class Server:
    def __init__(self, wfc, folder):
        self.wfc = wfc
        self.store = os.path.join(folder, "store.sqlite")
        self.proc = subprocess.Popen(
            [wfc, "serve", "--store", self.store, "--listen", "127.0.0.1:0", "--test-clock"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://[^ ]+)", line)
        if not m:
            raise SystemExit(f"wfc serve did not start: {line!r}")
        self.base = m.group(1)

    def token(self, person, *scopes):
        args = [self.wfc, "token", "issue", "--sub", person, "--store", self.store]
        for s in scopes:
            args += ["--scope", s]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()

    def api(self, method, path, token, body=None, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Walk:
    def __init__(self, server, out):
        self.s = server
        self.out = out
        options = webdriver.ChromeOptions()
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                  "--window-size=1100,1400"]:
            options.add_argument(a)
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if binary:
            options.binary_location = binary
        driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.d = webdriver.Chrome(service=Service(driver), options=options)
        self.d.implicitly_wait(2)

    def shot(self, name):
        self.d.save_screenshot(os.path.join(self.out, name + ".png"))

    def go(self, path):
        self.d.get(self.s.base + path)

    def text(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def sign_in(self, person, *scopes):
        self.go("/web/sign-in")
        if self.d.find_elements(By.ID, "sign-out"):
            self.follow(self.d.find_element(By.ID, "sign-out"))
        self.d.find_element(By.ID, "token").send_keys(self.s.token(person, *scopes))
        self.follow(self.d.find_element(By.ID, "sign-in-button"))
        check(self.d.find_element(By.ID, "signed-in-person").text == person, f"signed in as {person}")

    def case(self, cid="H1"):
        self.go(f"/web/cases/{cid}")

    def click(self, element_id):
        self.follow(self.d.find_element(By.ID, element_id))

    def follow(self, element):
        # Every button and link loads a new page (no JavaScript): wait until the old page is
        # gone, or the next lookup can find an element of the page being left (stale).
        page = self.d.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.d, 30).until(lambda _: gone(page))

    def set_value(self, element_id, value):
        e = self.d.find_element(By.ID, element_id)
        if e.get_attribute("type") == "date":
            # The date picker's typing order depends on the locale; the value is what is sent.
            self.d.execute_script("arguments[0].value = arguments[1]", e, value)
        elif e.tag_name == "select":
            Select(e).select_by_value(value)
        else:
            e.clear()
            e.send_keys(value)

    def labels_tied(self):
        """Every visible input, select and textarea has a <label for> naming its id."""
        for e in self.d.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
            i = e.get_attribute("id")
            if not i or not self.d.find_elements(By.CSS_SELECTOR, f"label[for='{i}']"):
                return False
        return True

    def run(self):
        d = self.d
        # Sign-in page.
        self.go("/web/sign-in")
        check("令牌" in self.text(), "the sign-in page in Chinese")
        check(self.labels_tied(), "the sign-in form's labels are tied to its inputs")
        self.shot("sign-in")

        # 1. The handover (交接人) submits the application.
        self.sign_in("zhang.san")
        check("提前申请" in self.text() and "工作交接管理制度" in self.text(), "zhang.san's task list shows 提前申请")
        self.shot("tasks")
        self.follow(d.find_element(By.LINK_TEXT, "提前申请"))
        check(self.labels_tied(), "the case page's labels are tied to its inputs")
        self.set_value("t0-reason", "resignation")
        self.set_value("t0-last_day", "2027-06-30")
        self.click("event-submit")
        refusal = d.find_element(By.ID, "refusal-apply").text
        check("须向直接上级提出书面申请" in refusal, "a submit without the written application is refused with the policy's message")
        check(d.find_element(By.ID, "t0-last_day").get_attribute("value") == "2027-06-30", "the date typed is kept at the refused form")
        self.shot("refusal")
        self.set_value("t0-application", "因个人原因申请离职")
        self.click("event-submit")
        check("直接上级审批交接申请" in d.find_element(By.ID, "case-active").text, "the application went to the manager")
        self.shot("case")

        # 2. The manager approves.
        self.sign_in("wang.wu")
        self.case()
        self.click("event-approve")
        check("交接准备" in d.find_element(By.ID, "case-active").text, "approved: the handover prepares the list")

        # 3. The handover fills the list: two rows, the second added with the button.
        self.sign_in("zhang.san")
        self.case()
        self.set_value("t0-items-0-name", "客户资料")
        self.set_value("t0-items-0-kind", "document")
        self.click("add-items")
        self.set_value("t0-items-1-name", "笔记本电脑")
        self.set_value("t0-items-1-kind", "equipment")
        check(d.find_element(By.ID, "t0-items-0-name").get_attribute("value") == "客户资料", "the first row is kept after adding a row")
        self.click("event-ready")
        check("交接审核" in d.find_element(By.ID, "case-active").text, "the list went to the manager's review")

        self.sign_in("wang.wu")
        self.case()
        self.click("event-approve")

        # 4. The receiver ticks the items as they are handed over.
        self.sign_in("li.si")
        self.case()
        for i in range(2):
            box = d.find_element(By.ID, f"t0-items-{i}-done")
            box.send_keys(" ")  # the keyboard ticks it
        check(all(d.find_element(By.ID, f"t0-items-{i}-done").is_selected() for i in range(2)), "both items ticked with the keyboard")
        self.shot("checklist")
        self.click("event-checked")
        check("交接执行" in d.find_element(By.ID, "case-active").text, "checked: both must sign")

        # Both sign.
        self.click("sign-execute")
        check("交接人" in d.find_element(By.ID, "missing-execute").text, "after the receiver's signature the handover is missing")
        self.shot("signoff")
        self.sign_in("zhang.san")
        self.case()
        self.click("sign-execute")
        check("交接监督" in d.find_element(By.ID, "case-active").text, "both signed: the manager supervises")

        # 5. The manager confirms.
        self.sign_in("wang.wu")
        self.case()
        self.click("event-confirm")
        check(d.find_element(By.ID, "case-status").text == "已完成", "confirmed: the case is completed")
        self.click("verify")
        check("记录完整" in d.find_element(By.ID, "verify-result").text, "verify: the record is intact")
        timeline = d.find_element(By.ID, "timeline").text
        check("zhang.san" in timeline and "li.si" in timeline and "被拒绝" in timeline, "the history names the people and the refusal")
        self.shot("history")

        # Another person cannot see the case.
        self.sign_in("sun.ba")
        self.case()
        check("WFC9001" in self.text() and "zhang.san" not in self.text(), "sun.ba, with no role, is refused the case")
        self.shot("not-a-participant")

        # An overdue task is red after the test clock passes its deadline: a second case at review.
        admin = self.s.token("hr.admin", "admin")
        self.s.api("POST", "/v1/cases", admin, json.dumps({"definition": "company-handover", "id": "H2", "people": PEOPLE, "data": {}}))
        fire = lambda person, event, data=None: self.s.api("POST", "/v1/cases/H2/events", self.s.token(person),
                                                            json.dumps({"event": event, "data": data or {}}))
        fire("zhang.san", "submit", {"reason": "transfer", "last_day": "2027-06-30", "application": "调岗"})
        fire("wang.wu", "approve")
        fire("zhang.san", "ready", {"items": [{"name": "客户资料", "kind": "document"}]})
        self.sign_in("wang.wu")
        deadline = d.find_element(By.CSS_SELECTOR, "#task-list .deadline").text
        check("还剩" in deadline, f"the review shows the working days left ({deadline})")
        self.set_value("test-clock-days", "10")
        self.follow(d.find_element(By.CSS_SELECTOR, "#test-clock button"))
        late = d.find_element(By.CSS_SELECTOR, "#task-list .deadline")
        check("已逾期" in late.text, f"after 10 days the review is overdue ({late.text})")
        check(late.value_of_css_property("color") in ("rgba(185, 28, 28, 1)", "rgb(185, 28, 28)"), "the overdue deadline is red")
        self.shot("overdue")

        # The HR overview (admin scope): the overdue review of H2, cases by policy and step.
        self.sign_in("hr.admin", "admin")
        self.click("nav-overview")
        check("H2" in d.find_element(By.ID, "overdue-list").text, "the HR overview lists H2's overdue review")
        check("交接审核" in d.find_element(By.ID, "policy-company-handover").text, "the HR overview counts the cases by step")
        self.shot("overview")
        self.go("/web/policies/company-handover")
        check("四.3" in d.find_element(By.ID, "policy-doc").text, "the policy page lists the rules by clause")
        self.shot("policy")
        self.click("nav-drafts")
        with open(os.path.join(ROOT, "workflows/company-handover.yaml"), encoding="utf-8") as f:
            draft = f.read().replace("to: application_review", "to: application_reviw")
        self.d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.ID, "draft-yaml"), draft)
        self.click("draft-check")
        check("application_reviw" in d.find_element(By.ID, "diagnostics").text and "^" in d.find_element(By.ID, "diagnostics").text,
              "a draft with a typo shows its diagnostic with a caret")
        check(not d.find_elements(By.ID, "draft-deploy"), "a draft with errors has no deploy button")
        self.shot("draft")
        self.sign_in("wang.wu")

        # A form posted without its CSRF token is refused.
        self.case("H2")
        d.execute_script("document.querySelectorAll('#form-review input[name=_csrf]').forEach(e => e.remove())")
        self.click("event-approve")
        check("WFC9020" in self.text(), "a form without its CSRF token is refused (WFC9020)")
        self.case("H2")
        check("交接审核" in d.find_element(By.ID, "case-active").text, "the refused form changed nothing")

        # 360 px wide: nothing wider than the screen.
        d.set_window_size(360, 900)
        self.go("/web/tasks")
        width = d.execute_script("return document.documentElement.scrollWidth")
        check(width <= 360, f"the task list fits 360 px (scroll width {width})")
        self.shot("tasks-360px")
        self.case("H2")
        width = d.execute_script("return document.documentElement.scrollWidth")
        check(width <= 360, f"the case page fits 360 px (scroll width {width})")
        self.shot("case-360px")

    def quit(self):
        self.d.quit()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wfc", default=os.path.join(ROOT, ".build/debug/wfc"))
    p.add_argument("--out", default=os.path.join(ROOT, "Tests/browser/screenshots"))
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="wfc-walk-")
    server = Server(os.path.abspath(a.wfc), folder)
    walk = None
    start = time.time()
    try:
        admin = server.token("hr.admin", "admin")
        with open(os.path.join(ROOT, "workflows/company-handover.yaml"), encoding="utf-8") as f:
            server.api("POST", "/v1/definitions?file=company-handover.yaml", admin, f.read(), "application/yaml")
        server.api("POST", "/v1/cases", admin, json.dumps({"definition": "company-handover", "id": "H1", "people": PEOPLE, "data": {}}))
        walk = Walk(server, a.out)
        walk.run()
    except Exception as e:
        if walk:
            walk.shot("failure")
        print(f"browser walk FAILED: {e}", file=sys.stderr)
        raise
    finally:
        if walk:
            walk.quit()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"browser walk: {steps} checks passed in {time.time() - start:.0f} s; screenshots in {a.out}")


if __name__ == "__main__":
    main()
