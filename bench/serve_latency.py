#!/usr/bin/env python3
"""How long after an article is saved `jianfan serve` serves the new page.

Starts the real server on a site, waits for its first build, then saves one
article several times (a new headline each time, written and closed like an
editor does) and polls the article's page over HTTP until the new headline is
in it. Prints each latency and the median, in milliseconds.

usage: serve_latency.py JIANFAN_BINARY SITE_ROOT SLUG [TRIALS]
"""

import http.client
import os
import statistics
import subprocess
import sys
import time

binary, root, slug = sys.argv[1:4]
trials = int(sys.argv[4]) if len(sys.argv) > 4 else 7
port = 18000 + os.getpid() % 1000
path = os.path.join(root, "content", slug + ".md")
original = open(path, encoding="utf-8").read()

# Started in the site's folder with the default root, as an editor does.
server = subprocess.Popen(
    [os.path.abspath(binary), "serve", "--port", str(port)],
    cwd=root,
    stdout=subprocess.DEVNULL,
    stderr=subprocess.PIPE,
    text=True,
)


def get(conn, url):
    conn.request("GET", url)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


try:
    # The first build of a large site takes a while (search index included).
    for line in server.stderr:
        if line.startswith("serving "):
            break
    else:
        sys.exit("the server stopped before serving")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    page = f"/zh-hant/articles/{slug}/"
    latencies = []
    for trial in range(trials):
        marker = f"即時更新測試{trial}號"
        lines = original.split("\n")
        lines = [l.replace("title: ", f"title: {marker}", 1) if l.startswith("title: ") else l for l in lines]
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        saved = time.monotonic()
        while True:
            status, body = get(conn, page)
            if status == 200 and marker in body:
                break
            if time.monotonic() - saved > 30:
                sys.exit(f"trial {trial}: the page did not update within 30 s")
        latencies.append((time.monotonic() - saved) * 1000)
        time.sleep(0.3)
    print(" ".join(f"{l:.0f}" for l in latencies))
    print(f"median {statistics.median(latencies):.0f} ms over {trials} saves")
finally:
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    server.terminate()
    server.wait(timeout=30)
