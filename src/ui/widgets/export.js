// Saving a chart: the SVG as drawn (computed styles copied onto each element, so the file
// looks the same outside the page's stylesheet), or a PNG drawn from that SVG at 2× size.

const STYLES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "opacity",
  "font-family", "font-size", "font-weight", "text-anchor", "dominant-baseline", "visibility"];

function standalone(svg) {
  const copy = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [copy, ...copy.querySelectorAll("*")];
  from.forEach((element, i) => {
    const style = getComputedStyle(element);
    to[i].setAttribute("style", STYLES.map((p) => `${p}:${style.getPropertyValue(p)}`).join(";"));
  });
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const box = svg.viewBox.baseVal;
  const width = box && box.width ? box.width : svg.clientWidth;
  const height = box && box.height ? box.height : svg.clientHeight;
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Saves the first <svg> inside the element with id `id` as `name`.svg. */
export function saveSvg(id, name) {
  const svg = document.getElementById(id)?.querySelector("svg");
  if (!svg) throw new Error(`nothing to save: no chart in #${id}`);
  save(new Blob([standalone(svg).text], { type: "image/svg+xml" }), `${name}.svg`);
}

/** Saves the same chart as `name`.png, twice the drawn size, on a white background. */
export function savePng(id, name) {
  const svg = document.getElementById(id)?.querySelector("svg");
  if (!svg) return Promise.reject(new Error(`nothing to save: no chart in #${id}`));
  const { text, width, height } = standalone(svg);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * 2);
      canvas.height = Math.round(height * 2);
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? (save(blob, `${name}.png`), resolve()) : reject(new Error("the PNG could not be made"))), "image/png");
    };
    image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
    image.src = url;
  });
}

/** Saves `text` as a file called `name` (a report as JSON or CSV). */
export function saveText(text, name, type) {
  save(new Blob([text], { type }), name);
}
