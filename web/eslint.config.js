// ESLint for the pages' own scripts (Dispatch.Server/wwwroot, not the vendored lib/). Run by web/lint.sh from the
// repository root, so paths here are relative to it.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["Dispatch.Server/wwwroot/lib/**"] },
  js.configs.recommended,
  {
    files: ["Dispatch.Server/wwwroot/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // Leaflet, Chart.js and the SignalR client are classic scripts from /lib that the pages load before their modules.
      globals: { ...globals.browser, L: "readonly", signalR: "readonly", Chart: "readonly" },
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-shadow": "error",
      // One idea per file: a page script past ~300 lines gets split into modules.
      "max-lines": ["error", { max: 300 }],
    },
  },
];
