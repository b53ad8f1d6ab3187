/**
 * The bar chart renders on the server as an accessible SVG: an image named by its title and
 * caption, scaling by its viewBox, a bar and a printed value per row and series, "—" for a missing
 * value, and the same numbers in a table for screen readers (and print unless the page prints its
 * own table).
 */
import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { BarChart } from "~/components/charts";

const props = {
  title: "三年及以上戒断率",
  caption: "三年及以上戒断率（截至 2026年3月1日）",
  labelHeader: "区",
  labels: ["测试甲区（虚构）", "一个名字非常非常非常长的测试区（虚构）", "测试丙区（虚构）"],
  series: [
    { name: "认定", values: [20, 50, null] },
    { name: "符合认定条件", values: [1, 0, 3] },
  ],
  max: 100,
  formatValue: (n: number) => `${n.toFixed(2)}%`,
};

describe("BarChart", () => {
  it("is an SVG image named by its title and caption, sized by its viewBox", () => {
    const html = renderToStaticMarkup(<BarChart {...props} />);
    const svg = /<svg viewBox="0 0 640 (\d+)" role="img" aria-labelledby="([^"]+)"/.exec(html);
    expect(svg).not.toBeNull();
    const [titleId, captionId] = svg![2]!.split(" ");
    expect(html).toMatch(new RegExp(`<h3 id="${titleId}"[^>]*>${props.title}</h3>`));
    expect(html).toContain(`<figcaption id="${captionId}"`);
    expect(html).toContain(props.caption);
    // a narrow drawing for phones, the wide one for desks and print: one shown at a time
    expect(html).toMatch(/<svg viewBox="0 0 360 \d+" role="img" aria-labelledby="[^"]+" class="[^"]*sm:hidden print:hidden"/);
    expect(html).toMatch(/<svg viewBox="0 0 640 \d+" role="img" aria-labelledby="[^"]+" class="[^"]*hidden sm:block print:block"/);
  });

  it("draws one bar per value, prints each value, shows — for a missing one and shortens long labels (full label as a tooltip)", () => {
    const html = renderToStaticMarkup(<BarChart {...props} />);
    expect(html.match(/<rect x="168"/g)).toHaveLength(5);
    expect(html).toContain(">20.00%</text>");
    expect(html).toContain(">—</text>");
    expect(html).toContain("<title>一个名字非常非常非常长的测试区（虚构）</title>");
    expect(html).toContain("一个名字非常非常非常长的测试区…");
  });

  it("puts the numbers in a table for screen readers, printed unless the page prints its own", () => {
    const html = renderToStaticMarkup(<BarChart {...props} />);
    expect(html).toMatch(/<table class="sr-only print:not-sr-only[^"]*"><caption>三年及以上戒断率<\/caption>/);
    expect(html).toContain('<th scope="row">测试甲区（虚构）</th><td>20.00%</td><td>1.00%</td>');
    const quiet = renderToStaticMarkup(<BarChart {...props} printTable={false} />);
    expect(quiet).toContain('<table class="sr-only">');
  });

  it("tells the series apart by pattern as well as colour, with a legend", () => {
    const html = renderToStaticMarkup(<BarChart {...props} />);
    expect(html).toContain("<pattern");
    expect(html).toMatch(/fill="url\(#[^)]+-p1\)"/);
    expect(html).toContain("符合认定条件</li>");
  });
});
