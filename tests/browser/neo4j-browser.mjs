// Drive Neo4j Browser (served by the managed Neo4j at /browser/) in Debian's headless Chromium
// as a person would: connect with the connection form, `:style` the sheet, `:play` the guide, walk
// every slide, then on the named slides click each runnable statement (Browser puts it in the
// editor) and run it. Prints one JSON line:
// {connected, errors, errorFrames, style, slides: [{title, runnable}], runs: {TITLE: {kind, text | graph}}, ms}
// where graph = {nodes: [{fill, caption}], relationships, settled, overlays, shot, box}.
// usage: NEO4J_PASSWORD=... node neo4j-browser.mjs PLAN.json OUT_DIR
// PLAN: {browser, bolt, style, guide, run: [slide title, ...]}; the password comes only from the
// environment (never argv, never printed).
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [planPath, outDir] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planPath, "utf8"));
const width = 1400, height = 1100;
const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const result = { connected: false, errors: [], errorFrames: [], style: "", slides: [], runs: {} };
try {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on("pageerror", (e) => result.errors.push(String(e)));
  const frames = page.locator('[data-testid="frame"]');
  const type = async (command) => {
    await page.click("#monaco-main-editor");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.type(command);
  };
  const run = async (command) => {  // the new frame, once it shows something; null: what the editor holds
    const before = await frames.count();
    if (command !== null) await type(command);
    await page.click('[data-testid="editor-Run"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="frame"]').length > n, before,
                               { timeout: 60000 });
    const frame = frames.first(); // the newest frame is on top of the stream
    await page.waitForFunction((el) => !/^\s*$/.test(el.innerText) && !el.querySelector('[data-testid="spinner"]'),
                               await frame.elementHandle(), { timeout: 60000 });
    return frame;
  };

  // connect: Browser's own connection form, pre-filled by the documented ?dbms= URL parameter
  const bolt = new URL(plan.bolt.replace(/^bolt:/, "http:"));
  await page.goto(`${plan.browser}?dbms=${encodeURIComponent(`bolt://neo4j@${bolt.host}`)}&preselectAuthMethod=NATIVE`);
  await page.waitForSelector('input[data-testid="password"]', { timeout: 90000 });
  await page.fill('input[data-testid="password"]', process.env.NEO4J_PASSWORD || "");
  await page.click('button[data-testid="connect"]');
  await page.getByText("You are connected as user neo4j").waitFor({ timeout: 60000 });
  result.connected = true;
  // close the usage-report notice, as a person would
  await page.getByText("To help make Neo4j Browser better").first().locator("xpath=following-sibling::span[1]")
    .click({ timeout: 5000 }).catch(() => {});
  await type(":clear");  // an empty stream
  await page.click('[data-testid="editor-Run"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="frame"]').length === 0, null,
                             { timeout: 90000 });

  const styleFrame = await run(`:style ${plan.style}`);
  result.style = await styleFrame.innerText();
  const guideFrame = await run(`:play ${plan.guide}`);
  const carousel = guideFrame.locator('[data-testid="carousel"]');
  await carousel.waitFor({ timeout: 30000 });
  const slideInfo = async () => {
    const s = carousel.locator("h3:visible").first();
    return { title: (await s.count()) ? (await s.innerText()).trim() : "",
             runnable: await carousel.locator("pre.runnable:visible").count() };
  };
  // walk every slide with the "next" button, as a reader does
  result.slides.push(await slideInfo());
  const next = carousel.locator('[data-testid="nextSlide"]');
  for (let i = 0; i < 200 && (await next.count()) && (await next.isEnabled()); i++) {
    await next.click();
    result.slides.push(await slideInfo());
  }

  for (const title of plan.run) {
    const index = result.slides.findIndex((s) => s.title === title);
    if (index < 0) { result.runs[title] = { kind: "missing" }; continue; }
    const guide = page.locator('[data-testid="carousel"]').first();
    await guide.locator(`li[aria-label="${index + 1}"]`).click();
    await guide.locator("h3:visible", { hasText: title }).waitFor();
    const pres = guide.locator("pre.runnable:visible");
    let frame = null;
    for (let i = 0; i < (await pres.count()); i++) {
      await guide.locator("pre.runnable:visible").nth(i).click();  // Browser puts the statement in the editor
      frame = await run(null);
    }
    result.runs[title] = await describe(page, frame, path.join(outDir, `run-${Object.keys(result.runs).length}.png`));
  }

  for (const f of await frames.all()) {
    const err = f.locator('[data-testid="cypherFrameErrorMessage"]');
    const text = await f.innerText();
    if ((await err.count()) || /No guide by that name|Not found|ERROR/.test(text)) result.errorFrames.push(text.slice(0, 400));
  }
  // the picture: the stream without the :params and :style frames, tall enough for the rest
  for (const f of (await frames.all()).reverse()) {  // from the bottom: closing one does not move those above
    const command = (await f.locator('[data-testid="frameCommand"]').first().innerText().catch(() => "")).trim();
    if (/^(neo4j)?\$?\s*:(params|style)/.test(command)) await f.locator('button[title="Close"]').first().click();
  }
  await page.setViewportSize({ width, height: 1650 });
  await page.mouse.move(width - 2, 2);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(outDir, "page.png") });
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ...result, width, height, ms: Date.now() - started }));

// What a result frame shows: a graph (nodes' fill and caption as drawn, a settled screenshot of
// the drawing, and what covers it) or a table's text.
async function describe(page, frame, png) {
  // Browser draws a graph result (nodes or paths) in svg.neod3viz, anything else as a table
  await page.waitForFunction((el) => el.querySelector("svg.neod3viz g.node, table"), await frame.elementHandle(),
                             { timeout: 60000 });
  const svg = frame.locator("svg.neod3viz").first();
  const hasGraph = (await frame.locator("svg.neod3viz g.node").count()) > 0;
  if (!hasGraph) {
    const table = frame.locator("table");
    const text = (await table.count()) ? await table.first().innerText() : await frame.innerText();
    await frame.screenshot({ path: png });
    return { kind: "table", text, shot: png };
  }
  // settled: the drawing's screenshots 700 ms apart are identical
  let last = null, settled = false;
  for (let i = 0; i < 40 && !settled; i++) {
    await page.waitForTimeout(700);
    const shot = (await svg.screenshot()).toString("base64");
    settled = shot === last;
    last = shot;
  }
  await page.mouse.move(2, 2);
  const box = await svg.boundingBox();
  await page.screenshot({ path: png, clip: box });
  const graph = await svg.evaluate((el) => {
    const nodes = [...el.querySelectorAll("g.node")].map((g) => ({
      fill: (g.querySelector("circle.b-outline") || g.querySelector("circle"))?.getAttribute("fill") || "",
      caption: [...g.querySelectorAll("text")].map((t) => t.textContent).join(" ").trim(),
    }));
    const relationships = el.querySelectorAll("g.relationship").length;
    // whatever covers the drawing (overview legend, buttons): sampled on a grid, relative to the svg
    const r = el.getBoundingClientRect(), seen = new Set(), overlays = [];
    for (let y = r.top; y < r.bottom; y += 6) {
      for (let x = r.left; x < r.right; x += 6) {
        const hit = document.elementFromPoint(x, y);
        if (!hit || el.contains(hit) || seen.has(hit)) continue;
        seen.add(hit);
        const b = hit.getBoundingClientRect();
        overlays.push({ x: b.x - r.left, y: b.y - r.top, w: b.width, h: b.height });
      }
    }
    return { nodes, relationships, overlays };
  });
  return { kind: "graph", ...graph, settled, shot: png, box };
}
