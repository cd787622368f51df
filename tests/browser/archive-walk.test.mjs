// A reader going back in time on a large archive, in both scripts: the
// front page, its 更多 button (with JavaScript) or its link (without), a
// day's page, an article, its topic's month page and the topic's archive
// index; axe-core on each new kind of page, and no console errors or failed
// requests on the way. Needs ARCHIVE_DIR (the synthetic archive .ci/run
// builds: 2,500 articles, a front page of 20).
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedWithBrowser, watchedPage, violations } from "./helpers.mjs";

const archive = process.env.ARCHIVE_DIR;
const skip = !archive && "set ARCHIVE_DIR";
const served = servedWithBrowser(archive);

const cardLinks = (page) => page.$$eval(".cards .card-title a", (links) => links.map((a) => a.href));

for (const variant of ["zh-hant", "zh-hans"]) {
  test(`${variant}: 更多 appends older articles in place, each once`, { skip }, async () => {
    const { page, problems } = await watchedPage(served.browser);
    await page.goto(`${served.site.url}${variant}/`);
    const front = await cardLinks(page);
    assert.equal(front.length, 20);
    const more = page.getByRole("button", { name: "更多" });
    assert.equal(await page.locator("a[data-more]").isHidden(), true, "the link gives way to the button");
    for (const round of [1, 2]) {
      const before = (await cardLinks(page)).length;
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll(".cards .card").length > n, before);
      await page.waitForFunction(() => !document.querySelector(".more-button")?.disabled);
      const links = await cardLinks(page);
      assert.equal(new Set(links).size, links.length, `round ${round}: no article twice`);
      assert.ok(links.every((href) => href.startsWith(`${served.site.url}${variant}/articles/`)), "links still lead to articles");
      // Focus moves to the first article added, for keyboard and screen readers.
      const focused = await page.evaluate(() => document.activeElement?.href);
      assert.ok(links.slice(before).includes(focused), `round ${round}: focus on a new article`);
    }
    // An appended article opens.
    const appended = (await cardLinks(page)).at(-1);
    await page.locator(`.cards a[href="${appended}"]`).first().click();
    await page.waitForURL(appended);
    assert.deepEqual(await violations(page), []);
    await page.close();
    assert.deepEqual(problems, []);
  });

  test(`${variant}: without JavaScript, front → day → article → topic month → archive index`, { skip }, async () => {
    const context = await served.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const failed = [];
    page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()}: ${r.url()}`); });
    await page.goto(`${served.site.url}${variant}/`);
    const front = await cardLinks(page);
    // The plain link names the day that holds the next older article.
    const older = page.locator("a[data-more]");
    const label = (await older.textContent()).trim();
    assert.match(label, /^較早的報道（\d{4}年\d{1,2}月\d{1,2}日）$|^较早的报道（\d{4}年\d{1,2}月\d{1,2}日）$/);
    await older.click();
    await page.waitForURL(new RegExp(`/${variant}/\\d{4}/\\d{2}/\\d{2}/$`));
    const day = label.slice(label.indexOf("（") + 1, -1);
    assert.equal((await page.locator("h1").textContent()).trim(), day);
    const visited = [page.url()];
    const listed = await cardLinks(page);
    assert.ok(listed.length > 0);
    assert.ok(!front.includes(listed.at(-1)), "the day goes past the front page");

    // An article of that day, then its first topic's month.
    await page.locator(".cards .card-title a").last().click();
    await page.waitForURL(/\/articles\/archive-\d{5}\/$/);
    const article = page.url();
    const [year, month] = (await page.getAttribute("article time", "datetime")).split("-");
    const topicLink = page.locator(".article-topics a").first();
    const topic = (await topicLink.textContent()).trim();
    await topicLink.click();
    await page.waitForURL(/\/topics\/[a-z0-9-]+\/$/);
    const topicUrl = page.url();
    await page.goto(`${topicUrl}${year}/${month}/`);
    assert.equal((await page.locator("h1").textContent()).trim(), `${topic} · ${year}年${Number(month)}月`);
    assert.ok((await cardLinks(page)).includes(article), "the month lists the article");
    visited.push(page.url());
    // Its nearest older month, and back.
    const olderMonth = page.locator("a[rel=next]");
    if (await olderMonth.count()) {
      await olderMonth.click();
      await page.waitForURL(new RegExp(`^${topicUrl}\\d{4}/\\d{2}/$`));
      await page.locator("a[rel=prev]").click();
      await page.waitForURL(`${topicUrl}${year}/${month}/`);
    }

    // The topic's archive index lists that month, newest first.
    await page.locator(".archive-nav a", { hasText: /報道存檔|报道存档/ }).click();
    await page.waitForURL(`${topicUrl}archive/`);
    const months = await page.$$eval(".archive-groups > li > a", (links) => links.map((a) => a.href));
    assert.ok(months.includes(`${topicUrl}${year}/${month}/`));
    assert.deepEqual(months, [...months].sort().reverse(), "newest first");
    visited.push(page.url());
    // And the site's archive index, by year, month and day.
    await page.goto(`${served.site.url}${variant}/archive/`);
    const days = await page.$$eval(".archive-days a", (links) => links.map((a) => a.href));
    assert.ok(days.length > 1000, `${days.length} days`);
    assert.deepEqual(days, [...days].sort().reverse(), "newest first");
    visited.push(page.url());
    await context.close();
    assert.deepEqual(failed, []);

    // axe-core runs in the page, so with JavaScript, on each kind of page
    // the walk met.
    const { page: checked } = await watchedPage(served.browser);
    for (const url of visited) {
      await checked.goto(url);
      assert.deepEqual(await violations(checked), [], url);
    }
    await checked.close();
  });
}
