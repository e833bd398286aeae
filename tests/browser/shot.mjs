// Open a trialgraph HTML view in Debian's headless Chromium (no browser download), wait until
// the layout has settled, and take a screenshot of what a reader sees first (with CLICK_FIT=1,
// after pressing the page's "Zoom to fit" button). Prints one JSON line:
// {settled, fitted, errors, canvas: {painted}, banner: {nodes, relationships}, overlays: [rects], ms}
// usage: node shot.mjs PAGE.html OUT.png [width] [height]
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [pagePath, out, w = "1400", h = "900"] = process.argv.slice(2);
const width = Number(w), height = Number(h);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const started = Date.now();
try {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(pagePath).href);
  await page.waitForSelector("canvas", { timeout: 30000 });
  // settled: two screenshots 700 ms apart are identical
  const settle = async () => {
    let last = null;
    for (let i = 0; i < 40; i++) {
      await page.waitForTimeout(700);
      const shot = (await page.screenshot()).toString("base64");
      if (shot === last) return true;
      last = shot;
    }
    return false;
  };
  let settled = await settle();
  let fitted = false;
  const fit = page.getByRole("button", { name: "Zoom to fit" });
  if (process.env.CLICK_FIT === "1" && await fit.count()) {
    await fit.first().click();
    await page.mouse.move(width / 2, 2);   // off the graph and the buttons: no hover, no tooltip
    fitted = true;
    settled = (await settle()) && settled;
  }
  await page.screenshot({ path: out });
  const facts = await page.evaluate(() => {
    // share of the canvas's pixels that differ from its background (top-left pixel)
    const canvases = [...document.querySelectorAll("canvas")];
    let painted = 0;
    for (const c of canvases) {
      const ctx = c.getContext("2d");
      if (!ctx || !c.width || !c.height) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0 && (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3])) n++;
      }
      painted = Math.max(painted, n / (d.length / 4));
    }
    // whatever covers the graph (legend, buttons, our banner): sampled on a grid
    const seen = new Set(), overlays = [];
    const area = innerWidth * innerHeight;
    for (let y = 0; y < innerHeight; y += 6) {
      for (let x = 0; x < innerWidth; x += 6) {
        const el = document.elementFromPoint(x, y);
        if (!el || el.tagName === "CANVAS" || seen.has(el)) continue;
        seen.add(el);
        const r = el.getBoundingClientRect();
        if (r.width * r.height < 0.25 * area) overlays.push({ x: r.x, y: r.y, w: r.width, h: r.height });
      }
    }
    const b = document.getElementById("trialgraph-summary");
    const banner = b ? { nodes: b.dataset.nodes, relationships: b.dataset.relationships } : null;
    return { canvas: { painted, count: canvases.length }, overlays, banner };
  });
  console.log(JSON.stringify({ settled, fitted, errors, ...facts, width, height, ms: Date.now() - started }));
} finally {
  await browser.close();
}
