// Build the site's CSS from GOV.UK Frontend's Sass, without the GDS Transport
// font (it belongs to GOV.UK itself), and copy the JavaScript and images.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "cop/static/build";
mkdirSync(out, { recursive: true });

const result = sass.compile("cop/static_src/scss/main.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "mixed-decls", "global-builtin", "color-functions", "slash-div", "if-function"],
});
writeFileSync(`${out}/main.css`, result.css);

const govuk = "node_modules/govuk-frontend/dist/govuk";
cpSync(`${govuk}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
cpSync(`${govuk}/assets/images`, `${out}/assets/images`, { recursive: true });
console.log(`built ${out}/main.css (${result.css.length} bytes)`);
