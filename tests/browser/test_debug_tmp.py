from tests.browser.test_accessibility import PAGES, AXE
from tests.browser.conftest import login
def test_dbg(page, live_server, demo):
    login(page, live_server, "admin")
    for name, path in PAGES.items():
        if callable(path): path = path(demo)
        page.goto(f"{live_server.url}{path}")
        r = AXE.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
        print(name, path, [(v["id"], v["impact"], len(v["nodes"])) for v in r["violations"]], "incomplete:", [(v["id"], len(v["nodes"])) for v in r["incomplete"]])
        print("   passes color-contrast?", any(p["id"]=="color-contrast" for p in r["passes"]))
